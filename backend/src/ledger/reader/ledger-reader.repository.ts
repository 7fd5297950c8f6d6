import type { Tx } from '../../database/unit-of-work';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A user-facing transaction row: what one journal did to one asset of an account, per kind. */
export interface TransactionRow {
  id: string;
  type: string;
  asset: string;
  amount: string;
  description: string;
  reference: string;
  created_at: Date;
}

/** Per kind and asset: how many, credited, debited, first and last. */
export interface TransactionStatsRow {
  type: string;
  asset: string;
  count: number;
  credited: string;
  debited: string;
  first_at: Date;
  last_at: Date;
}

/**
 * Entry kinds that move value between the account and the outside world: deposits (USD or in kind), withdrawals
 * (their fee is a cost, not a flow) and ledger adjustments (an operator's credit or debit against the treasury:
 * funding or its correction, never a return). Trades, fees and conversions (kind `trade`/`fee`) are not flows.
 */
export const EXTERNAL_FLOW_KINDS: readonly string[] = ['deposit', 'withdrawal', 'adjustment'];

/** What one journal did to one asset of an account (signed decimal strings). */
export interface MovementRow {
  journal_id: string;
  at: Date;
  /** The journal's business event (trade, convert, deposit, withdrawal, adjustment…). */
  type: string;
  asset: string;
  total: string;
  /** The part to or from the outside world (deposit, withdrawal, adjustment entries). */
  flow: string;
  /** The part that was a fee (negative when paid). */
  fee: string;
}

/** Filters of a transaction list (all optional; `from` inclusive, `to` exclusive). */
export interface TransactionFilters {
  type?: string;
  asset?: string;
  from?: Date;
  to?: Date;
}

/**
 * A user-facing transaction is what one journal did to one asset of the
 * user, per kind (a buy shows the USD paid, the fee and the asset received
 * as three lines). Holds and releases only move money between the user's
 * own buckets and are not shown. The id is the first entry's id.
 */
const TRANSACTIONS_SQL = `
  SELECT min(e.id) AS id, e.kind AS type, e.asset, sum(e.amount) AS amount, j.description, j.reference, j.created_at
  FROM ledger_entries e JOIN ledger_journals j ON j.id = e.journal_id
  WHERE e.account = $1 AND e.kind NOT IN ('hold', 'release')
  GROUP BY e.journal_id, e.kind, e.asset, j.description, j.reference, j.created_at
  HAVING sum(e.amount) <> 0`;

/** SQL conditions on `t` for the filters, their values appended to `params`. */
function filterConditions(f: TransactionFilters, params: unknown[]): string[] {
  const where: string[] = [];
  if (f.type) where.push(`t.type = $${params.push(f.type)}`);
  if (f.asset) where.push(`t.asset = $${params.push(f.asset)}`);
  if (f.from) where.push(`t.created_at >= $${params.push(f.from)}`);
  if (f.to) where.push(`t.created_at < $${params.push(f.to)}`);
  return where;
}

/** What one event (a journal that changed the account's total in some asset) did to one asset: signed decimal strings. */
export interface ActivityLegRow {
  asset: string;
  /** The whole change of the account's total (available + locked) in the asset. */
  change: string;
  /** The part of it in `fee` entries (negative when paid). */
  fee: string;
  /** The account's total in the asset after the event. */
  balanceAfter: string;
}

/** One business event of an account: a journal that changed its total in some asset, with what it did to each asset. */
export interface ActivityEventRow {
  id: string;
  type: string;
  reference: string;
  description: string;
  created_at: Date;
  /** The journal's first entry of the account: the tie-break of (created_at, seq), the order events applied in. */
  seq: string;
  /** Every asset the event changed, by asset. */
  legs: ActivityLegRow[];
}

/** One entry of the account in a journal (holds and releases included). */
export interface ActivityLineRow {
  id: string;
  journal_id: string;
  kind: string;
  asset: string;
  bucket: string;
  amount: string;
}

/** Filters of an activity list (all optional; `from` inclusive, `to` exclusive; `asset` on any asset the event changed). */
export interface ActivityFilters {
  type?: string;
  asset?: string;
  from?: Date;
  to?: Date;
}

/** A user-facing transaction row with its journal and the account's total in its asset after it. */
export interface StatementRow extends TransactionRow {
  journal_id: string;
  /** The journal's type: the event's (ActivityType). */
  event_type: string;
  balance_after: string;
}

/**
 * The account's events, each with its legs and the total after it per asset. The running total is a window sum over
 * what each journal did to each asset, in the order the journals applied (created_at, then the journal's first entry
 * of the account); holds and releases sum to zero within their journal, so a journal of nothing else (an order's or a
 * withdrawal request's hold, its release) changes no total and is no event. One pass over the account's entries
 * (index ledger_entries_account_created): its cost grows with the account's history (about 65 ms for 2,000 events, 0.5 s
 * for 20,000 on a busy two-core machine), not with anyone else's. `$1` is the account.
 */
const ACTIVITY_SQL = `
  WITH changes AS (
    SELECT e.journal_id, e.asset, min(e.created_at) AS created_at, min(e.id) AS first_id,
           sum(e.amount) AS change, coalesce(sum(e.amount) FILTER (WHERE e.kind = 'fee'), 0) AS fee
    FROM ledger_entries e
    WHERE e.account = $1
    GROUP BY e.journal_id, e.asset
  ), ordered AS (
    SELECT c.*, min(c.first_id) OVER (PARTITION BY c.journal_id) AS seq FROM changes c
  ), running AS (
    SELECT o.*, sum(o.change) OVER (PARTITION BY o.asset ORDER BY o.created_at, o.seq ROWS UNBOUNDED PRECEDING) AS balance_after
    FROM ordered o
  ), events AS (
    SELECT r.journal_id, r.created_at, r.seq,
           json_agg(json_build_object('asset', r.asset, 'change', r.change::text, 'fee', r.fee::text, 'balanceAfter', r.balance_after::text)
                    ORDER BY r.asset) FILTER (WHERE r.change <> 0) AS legs,
           array_agg(r.asset) FILTER (WHERE r.change <> 0) AS assets
    FROM running r
    GROUP BY r.journal_id, r.created_at, r.seq
    HAVING bool_or(r.change <> 0)
  )
  SELECT ev.journal_id AS id, ev.created_at, ev.seq, ev.legs, ev.assets FROM events ev`;

/**
 * The journal of each event by its primary key, one lookup per row (the LIMIT keeps the planner from hashing the whole
 * journals table, which grows with every user's history, not this account's).
 */
const JOURNAL_OF_EVENT = `CROSS JOIN LATERAL (SELECT j.type, j.reference, j.description FROM ledger_journals j WHERE j.id = ev.id LIMIT 1) j`;

/**
 * TRANSACTIONS_SQL's rows with their journal and the account's total in the row's asset after the row, a window sum
 * over every row (before any filter) in (created_at, id) order: what the CSV export writes.
 */
const STATEMENT_SQL = `
  SELECT t.*, sum(t.amount) OVER (PARTITION BY t.asset ORDER BY t.created_at, t.id ROWS UNBOUNDED PRECEDING) AS balance_after
  FROM (
    SELECT min(e.id) AS id, e.journal_id, j.type AS event_type, e.kind AS type, e.asset, sum(e.amount) AS amount, j.description, j.reference, j.created_at
    FROM ledger_entries e JOIN ledger_journals j ON j.id = e.journal_id
    WHERE e.account = $1 AND e.kind NOT IN ('hold', 'release')
    GROUP BY e.journal_id, j.type, e.kind, e.asset, j.description, j.reference, j.created_at
    HAVING sum(e.amount) <> 0
  ) t`;

/** A row of a period's statement (PERIOD_STATEMENT_SQL): an opening total, or what one journal did to one asset. */
export interface PeriodStatementRow {
  /** `opening`: the account's total in the asset before the period; `movement`: one journal's change in it. */
  part: 'opening' | 'movement';
  asset: string;
  /** The opening total, or the journal's whole change of the account's total (available + locked) in the asset. */
  amount: string;
  /** The part of a movement in `fee` entries (negative when paid); '0' for an opening. */
  fee: string;
  /** A movement's journal, its business event (type), text, reference and time; null for an opening. */
  journal_id: string | null;
  type: string | null;
  description: string | null;
  reference: string | null;
  created_at: Date | null;
}

/**
 * A period's statement of an account in one statement (one snapshot, so the opening totals and the movements agree):
 * the total per asset of every entry before `$2`, and what each journal did to each asset in [`$2`, `$3`) with its fee
 * part, in the order the journals applied (created_at, then the journal's first entry of the account). Holds and
 * releases sum to zero within their journal, so a journal of nothing else is no movement. Both parts read the
 * account's entries by ledger_entries_account_created.
 */
const PERIOD_STATEMENT_SQL = `
  WITH opening AS (
    SELECT e.asset, sum(e.amount) AS total FROM ledger_entries e WHERE e.account = $1 AND e.created_at < $2 GROUP BY e.asset
  ), changes AS (
    SELECT e.journal_id, e.asset, min(e.created_at) AS created_at, min(e.id) AS first_id,
           sum(e.amount) AS change, coalesce(sum(e.amount) FILTER (WHERE e.kind = 'fee'), 0) AS fee
    FROM ledger_entries e
    WHERE e.account = $1 AND e.created_at >= $2 AND e.created_at < $3
    GROUP BY e.journal_id, e.asset
    HAVING sum(e.amount) <> 0
  ), moves AS (
    SELECT c.*, min(c.first_id) OVER (PARTITION BY c.journal_id) AS seq FROM changes c
  )
  SELECT 'opening' AS part, o.asset, o.total::text AS amount, '0' AS fee, NULL::uuid AS journal_id, NULL AS type, NULL AS description,
         NULL AS reference, NULL::timestamptz AS created_at, NULL::timestamptz AS sort_at, 0::bigint AS sort_seq
  FROM opening o
  UNION ALL
  SELECT 'movement', m.asset, m.change::text, m.fee::text, m.journal_id, j.type, j.description, j.reference, m.created_at, m.created_at, m.seq
  FROM moves m CROSS JOIN LATERAL (SELECT j.type, j.description, j.reference FROM ledger_journals j WHERE j.id = m.journal_id LIMIT 1) j
  ORDER BY sort_at NULLS FIRST, sort_seq, asset`;

/** The ledger's reads for the domains above it (transactions, portfolio): reached only through {@link LedgerReader}. */
@Injectable()
export class LedgerReaderRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Newest first; after `cursor` (created_at, id) when given; at most `limit` rows when given. */
  transactions(account: string, f: TransactionFilters, page?: { limit: number; cursor?: { createdAt: Date | string; id: string } }): Promise<TransactionRow[]> {
    const params: unknown[] = [account];
    const where = filterConditions(f, params);
    if (page?.cursor) where.push(`(t.created_at, t.id) < ($${params.push(page.cursor.createdAt)}, $${params.push(page.cursor.id)}::bigint)`);
    return this.dataSource.query(
      `SELECT * FROM (${TRANSACTIONS_SQL}) t ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.created_at DESC, t.id DESC${page ? ` LIMIT ${Number(page.limit)}` : ''}`,
      params,
    );
  }

  transaction(account: string, id: string): Promise<TransactionRow[]> {
    return this.dataSource.query(`SELECT * FROM (${TRANSACTIONS_SQL}) t WHERE t.id = $2::bigint`, [account, id]);
  }

  transactionStats(account: string): Promise<TransactionStatsRow[]> {
    return this.dataSource.query(
      `SELECT t.type, t.asset, count(*)::int AS count,
              coalesce(sum(t.amount) FILTER (WHERE t.amount > 0), 0) AS credited,
              coalesce(-sum(t.amount) FILTER (WHERE t.amount < 0), 0) AS debited,
              min(t.created_at) AS first_at, max(t.created_at) AS last_at
       FROM (${TRANSACTIONS_SQL}) t GROUP BY t.type, t.asset ORDER BY t.asset, t.type`,
      [account],
    );
  }

  /** Total (available + locked) per asset, the shards summed. */
  totals(account: string): Promise<{ asset: string; total: string }[]> {
    return this.dataSource.query(`SELECT asset, sum(available + locked) AS total FROM balances WHERE account = $1 GROUP BY asset`, [account]);
  }

  /** What every user owns per asset, available and held alike (user accounts are never sharded): the platform's liabilities. */
  /** Every user account's total (available + locked) per asset it has a balance row of, zero included; ordered. */
  userBalances(tx: Tx): Promise<{ account: string; asset: string; total: string }[]> {
    return tx.query(`SELECT account, asset, (available + locked)::text AS total FROM balances WHERE account LIKE 'user:%' ORDER BY account, asset`);
  }

  userLiabilities(tx?: Tx): Promise<{ asset: string; amount: string }[]> {
    return (tx ?? this.dataSource).query(
      `SELECT asset, sum(available + locked)::text AS amount FROM balances WHERE account LIKE 'user:%' GROUP BY asset HAVING sum(available + locked) <> 0 ORDER BY asset`,
    );
  }

  /**
   * What each journal did to each asset of the account, oldest first, up to `until` (holds and releases, which only
   * move money between the account's own buckets, sum to zero and are left out): the whole change, the part that came
   * from or went to the outside world (EXTERNAL_FLOW_KINDS) and the part that was a fee.
   */
  movements(account: string, until: Date): Promise<MovementRow[]> {
    return this.dataSource.query(
      `SELECT e.journal_id, j.created_at AS at, j.type, e.asset,
              sum(e.amount)::text AS total,
              coalesce(sum(e.amount) FILTER (WHERE e.kind = ANY($3::text[])), 0)::text AS flow,
              coalesce(sum(e.amount) FILTER (WHERE e.kind = 'fee'), 0)::text AS fee
       FROM ledger_entries e JOIN ledger_journals j ON j.id = e.journal_id
       WHERE e.account = $1 AND e.created_at <= $2
       GROUP BY e.journal_id, j.created_at, j.type, e.asset
       HAVING sum(e.amount) <> 0
       ORDER BY j.created_at, e.journal_id, e.asset`,
      [account, until, [...EXTERNAL_FLOW_KINDS]],
    );
  }

  /**
   * The account's events (ACTIVITY_SQL), newest first: filtered, after `cursor` (created_at, seq) when given, at most
   * `limit` when given.
   */
  activity(account: string, f: ActivityFilters, page?: { limit: number; cursor?: { createdAt: Date; id: string } }): Promise<ActivityEventRow[]> {
    const params: unknown[] = [account];
    const where: string[] = [];
    if (f.asset) where.push(`$${params.push(f.asset)} = ANY(ev.assets)`);
    if (f.from) where.push(`ev.created_at >= $${params.push(f.from)}`);
    if (f.to) where.push(`ev.created_at < $${params.push(f.to)}`);
    if (page?.cursor) where.push(`(ev.created_at, ev.seq) < ($${params.push(page.cursor.createdAt)}, $${params.push(page.cursor.id)}::bigint)`);
    const order = `ORDER BY ev.created_at DESC, ev.seq DESC${page ? ` LIMIT ${Number(page.limit)}` : ''}`;
    const select = `SELECT ev.id, j.type, j.reference, j.description, ev.created_at, ev.seq::text AS seq, ev.legs`;
    const events = `(${ACTIVITY_SQL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}) ev`;
    // Without a type, the page is chosen before its journals are read (a lookup per item); with one, every event's
    // journal is read to filter on it.
    const sql = f.type
      ? `${select} FROM ${events} ${JOURNAL_OF_EVENT} WHERE j.type = $${params.push(f.type)} ${order}`
      : `${select} FROM (SELECT * FROM ${events} ${order}) ev ${JOURNAL_OF_EVENT} ORDER BY ev.created_at DESC, ev.seq DESC`;
    return this.dataSource.query(sql, params);
  }

  /** The account's entries in these journals (holds and releases included), in the order they were written. */
  activityLines(account: string, journalIds: readonly string[]): Promise<ActivityLineRow[]> {
    if (journalIds.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT e.id::text AS id, e.journal_id, e.kind, e.asset, e.bucket, e.amount::text AS amount
       FROM ledger_entries e WHERE e.account = $1 AND e.journal_id = ANY($2::uuid[]) ORDER BY e.id`,
      [account, [...journalIds]],
    );
  }

  /** STATEMENT_SQL's rows that match the filters (the list's, and `eventType` on the journal's type), newest first. */
  statement(account: string, f: TransactionFilters & { eventType?: string }): Promise<StatementRow[]> {
    const params: unknown[] = [account];
    const where = filterConditions(f, params);
    if (f.eventType) where.push(`t.event_type = $${params.push(f.eventType)}`);
    return this.dataSource.query(
      `SELECT * FROM (${STATEMENT_SQL}) t ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.created_at DESC, t.id DESC`,
      params,
    );
  }

  /** PERIOD_STATEMENT_SQL: opening totals before `from` and the movements in [`from`, `to`), in one snapshot. */
  async periodStatement(account: string, from: Date, to: Date): Promise<PeriodStatementRow[]> {
    const rows = await this.dataSource.query<(PeriodStatementRow & { sort_at: unknown; sort_seq: unknown })[]>(PERIOD_STATEMENT_SQL, [account, from, to]);
    return rows.map(({ sort_at: _at, sort_seq: _seq, ...r }) => r);
  }

  /** When the account's first entry was written; null before it has any. */
  async firstEntryAt(account: string): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ at: Date | null }[]>(`SELECT min(created_at) AS at FROM ledger_entries WHERE account = $1`, [account]);
    return row?.at ? new Date(row.at) : null;
  }

  /** The points of a history (every `stepHours` over the last `days`, and now), each with the account's holdings then. */
  holdingsAt(account: string, days: number, stepHours: number): Promise<{ t: Date; asset: string | null; amount: string | null }[]> {
    return this.dataSource.query(
      `WITH points AS (
         SELECT generate_series(now() - make_interval(days => $2), now(), make_interval(hours => $3)) AS t
         UNION SELECT now()
       ), holdings AS (
         SELECT p.t, e.asset, sum(e.amount) AS amount
         FROM points p JOIN ledger_entries e ON e.account = $1 AND e.created_at <= p.t
         GROUP BY p.t, e.asset
       )
       SELECT p.t, h.asset, h.amount
       FROM points p LEFT JOIN holdings h ON h.t = p.t
       ORDER BY p.t`,
      [account, days, stepHours],
    );
  }
}
