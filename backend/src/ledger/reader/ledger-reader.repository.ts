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
