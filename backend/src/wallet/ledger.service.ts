import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppError, conflict, unprocessable } from '../common/errors/app-error';
import { formatAmount } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { AppConfig } from '../config/config.service';
import { EnsuredRows } from '../database/ensured-rows';
import { queryPrepared } from '../database/prepared';
import { pgErrorCode } from '../database/transaction';
import { BalanceDelta, compareKeys, journalDeltas } from './ledger-math';
import { balanceKey, BalanceRow, CONTRA_ACCOUNTS, EntryKind, JournalInput, LedgerLine, SHARDED_ACCOUNTS } from './ledger.types';

export interface BalanceKeyPair {
  account: string;
  asset: string;
}

export type LockedBalances = Map<string, BalanceRow>;

/** A balance change of one row: `shard` is 0 except on the platform's sharded accounts. */
export interface RowDelta extends BalanceDelta {
  shard: number;
}

export interface HoldInput {
  account: string;
  asset: string;
  amount: Dec;
  type: string;
  reference: string;
  userId?: string | null;
  description?: string;
}

/** Extra CTEs run in the journal's statement, after the journal `j` exists (they select FROM j to depend on it). */
export interface JournalStatementExtension {
  /** Each `name AS (... RETURNING ...)`: the shared platform rows are written after all of them. */
  ctes: { name: string; sql: string }[];
  /** The statement's result, e.g. `SELECT * FROM o`. */
  select: string;
}

/** Adds a value to the statement's parameters and returns its placeholder (`$19`). */
export type BindParam = (value: unknown) => string;


export const insufficientFunds = (asset: string, needed?: Dec, available?: Dec): AppError =>
  unprocessable(
    'INSUFFICIENT_FUNDS',
    `Insufficient ${asset} balance`,
    needed && available ? [{ field: asset, message: `needs ${formatAmount(needed, asset)}, available ${formatAmount(available, asset)}` }] : undefined,
  );

/**
 * The double-entry ledger. Every movement of money is one journal whose
 * entries sum to zero per asset; the `balances` table is the materialised sum
 * of the entries and changes only in the same statement that writes them.
 *
 * Recipes for the modules that move money in and out (one journal each, the
 * reference unique per event, so a replayed IPN or completion is refused
 * with 409 ALREADY_EXISTS instead of crediting twice):
 * - deposit credited: user available +amount (kind deposit), external:deposits −amount;
 * - withdrawal requested: `hold` (available → locked), reference `withdrawal:<id>:hold`;
 * - withdrawal completed: user locked −amount (kind withdrawal), external:withdrawals +amount;
 * - withdrawal rejected or cancelled: `release` (locked → available).
 *
 * Locking discipline (no deadlocks): a transaction first locks the rows of
 * user accounts it touches, in (account, asset) order, with
 * `SELECT ... FOR UPDATE`; platform and contra rows are written last by one
 * upsert sorted by (account, asset, shard), so they are held only until
 * commit and never while waiting for a user row.
 *
 * The platform accounts (`SHARDED_ACCOUNTS`) have N rows per asset
 * (LEDGER_PLATFORM_SHARDS): a journal credits or debits one shard, chosen
 * round-robin, so trades of different users write different rows. Their
 * balance is the sum of the shards. The treasury is a contra account (negative
 * by meaning, no CHECK), so any shard may take its debits; a debit of
 * `platform:fees` (never negative) locks all its shards in shard order after
 * the user rows, checks their sum and takes the amount from them in turn.
 */
@Injectable()
export class LedgerService {
  private readonly balanceRows = new EnsuredRows(
    `INSERT INTO balances (account, asset)
     SELECT * FROM unnest($1::varchar[], $2::varchar[]) ORDER BY 1, 2
     ON CONFLICT DO NOTHING`,
  );
  private readonly shards: number;
  private nextShard: number;

  constructor(config: AppConfig) {
    this.shards = config.get('ledgerPlatformShards');
    // Instances start at different shards, so they do not all begin on shard 0.
    this.nextShard = randomInt(this.shards);
  }

  /**
   * Locks the balance rows of these (account, asset) pairs, creating missing
   * rows at zero, in the fixed order. Returns the current values.
   */
  async lock(em: EntityManager, pairs: BalanceKeyPair[]): Promise<LockedBalances> {
    const wanted = dedupe(pairs);
    const sharded = wanted.find((p) => SHARDED_ACCOUNTS.has(p.account));
    if (sharded) throw new Error(`ledger: ${sharded.account} is sharded and cannot be locked as one row`);
    // Create missing rows first, holding no lock yet: creating one after locking
    // another would take locks out of order (and deadlock with a concurrent trade).
    await em.query(
      `INSERT INTO balances (account, asset)
       SELECT * FROM unnest($1::varchar[], $2::varchar[]) ORDER BY 1, 2
       ON CONFLICT DO NOTHING`,
      [wanted.map((p) => p.account), wanted.map((p) => p.asset)],
    );
    return this.selectForUpdate(em, wanted);
  }

  /**
   * Posts a journal: checks it balances, checks (on the rows the caller
   * locked, or locks them now) that no non-contra account goes negative,
   * then writes the journal, its entries and every balance change in ONE
   * statement. Returns the journal id.
   */
  async post(em: EntityManager, input: JournalInput, locked?: LockedBalances): Promise<string> {
    const lines = input.lines.filter((l) => !l.amount.isZero());
    const deltas = journalDeltas(lines);
    const userPairs = deltas.filter((d) => d.account.startsWith('user:'));
    const current = locked ?? (userPairs.length ? await this.lock(em, userPairs) : new Map<string, BalanceRow>());
    for (const d of deltas) {
      if (CONTRA_ACCOUNTS.has(d.account) || !d.account.startsWith('user:')) continue;
      const row = current.get(balanceKey(d.account, d.asset));
      if (!row) throw new Error(`ledger: ${d.account} ${d.asset} was not locked before posting`);
      if (row.available.add(d.available).isNegative()) throw insufficientFunds(d.asset, d.available.neg(), row.available);
      if (row.locked.add(d.locked).isNegative()) throw insufficientFunds(d.asset, d.locked.neg(), row.locked);
    }
    // Rows the caller locked are updated in place; the others (platform and contra
    // accounts) are upserted. Not one upsert for all: PostgreSQL checks the CHECK
    // constraint on the proposed insert row, so a debit cannot go through INSERT.
    // A debit of a sharded non-contra account is spread over its shards, which it locks.
    const shard = this.pickShard();
    const updates: RowDelta[] = [];
    const upserts: RowDelta[] = [];
    for (const d of deltas) {
      if (current.has(balanceKey(d.account, d.asset))) updates.push({ ...d, shard: 0 });
      else if (isShardedDebit(d)) {
        const spread = await this.spreadShardedDebit(em, d);
        updates.push(...spread.updates);
        upserts.push(...spread.upserts);
      } else upserts.push({ ...d, shard: SHARDED_ACCOUNTS.has(d.account) ? shard : 0 });
    }
    try {
      const [row] = (await em.query(
        `WITH j AS (
           INSERT INTO ledger_journals (type, reference, user_id, description) VALUES ($1, $2, $3, $4)
           RETURNING id, created_at
         ), e AS (
           INSERT INTO ledger_entries (journal_id, account, asset, bucket, kind, amount, created_at)
           SELECT j.id, l.account, l.asset, l.bucket, l.kind, l.amount, j.created_at
           FROM j, unnest($5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[], $9::numeric[]) AS l(account, asset, bucket, kind, amount)
         ), u AS (
           UPDATE balances b SET available = b.available + d.available, locked = b.locked + d.locked, updated_at = now()
           FROM unnest($10::varchar[], $11::varchar[], $12::numeric[], $13::numeric[], $14::smallint[]) AS d(account, asset, available, locked, shard)
           WHERE b.account = d.account AND b.asset = d.asset AND b.shard = d.shard
         ), p AS (
           INSERT INTO balances (account, asset, available, locked, shard)
           SELECT * FROM unnest($15::varchar[], $16::varchar[], $17::numeric[], $18::numeric[], $19::smallint[]) ORDER BY 1, 2, 5
           ON CONFLICT (account, asset, shard) DO UPDATE
             SET available = balances.available + EXCLUDED.available,
                 locked = balances.locked + EXCLUDED.locked,
                 updated_at = now()
         )
         SELECT id FROM j`,
        journalParams(input, lines, updates, upserts),
      )) as { id: string }[];
      // Keep the caller's snapshot in step with what was written.
      for (const d of deltas) {
        const r = current.get(balanceKey(d.account, d.asset));
        if (r) current.set(balanceKey(d.account, d.asset), { available: r.available.add(d.available), locked: r.locked.add(d.locked) });
      }
      return row.id;
    } catch (e) {
      throw ledgerError(e, deltas[0]?.asset ?? '');
    }
  }

  /**
   * Posts journals in ONE statement that takes no lock beforehand: the hot
   * path of market orders (one journal per order; several when orders
   * arrived together, see MarketOrderBatcher). Inside or outside a
   * transaction; outside, the statement commits by itself, so the rows every
   * trade shares (the treasury, `platform:fees`) are held only while it runs,
   * never across a round trip to the app.
   * - the journals' deltas are summed per balance row; rows that can be
   *   debited (user accounts, non-contra rows with a negative delta) are
   *   locked in (account, asset) order and updated; the balances CHECK
   *   refuses an overdraft (→ 422 INSUFFICIENT_FUNDS: with several journals,
   *   the whole statement is refused and the caller posts them one by one),
   *   and READ COMMITTED re-reads a row a concurrent trade changed before
   *   applying the delta, so concurrent debits can never overspend;
   * - then the journals, their entries and `extend`'s CTEs (which must
   *   depend on the journals `j`), and last the credit-only platform and
   *   contra rows by one sorted upsert: the same lock order as `lock` + `post`.
   * The rows to update are created (at zero) beforehand if missing, in their
   * own statement; a process remembers which exist. The text does not depend
   * on how many journals there are, so it is a prepared statement. Returns
   * the rows of `extend.select`.
   */
  async postManyInOneStatement(em: EntityManager, inputs: JournalInput[], extend: (bind: BindParam) => JournalStatementExtension): Promise<Record<string, unknown>[]> {
    if (!inputs.length) throw new Error('ledger: no journal to post');
    const journals = inputs.map((input) => {
      const lines = input.lines.filter((l) => !l.amount.isZero());
      journalDeltas(lines); // each journal balances on its own
      return { input, lines };
    });
    const allLines = journals.flatMap((j) => j.lines);
    const deltas = journalDeltas(allLines);
    const debitable = (d: (typeof deltas)[number]): boolean =>
      d.account.startsWith('user:') || (!CONTRA_ACCOUNTS.has(d.account) && (d.available.isNegative() || d.locked.isNegative()));
    const sharded = deltas.find(isShardedDebit);
    if (sharded) throw new Error(`ledger: a debit of ${sharded.account} must lock its shards: post it with post()`);
    const shard = this.pickShard();
    const updates = deltas.filter(debitable).map((d) => ({ ...d, shard: 0 }));
    const upserts = deltas.filter((d) => !debitable(d)).map((d) => ({ ...d, shard: SHARDED_ACCOUNTS.has(d.account) ? shard : 0 }));
    await this.ensureRows(em, updates);
    const params: unknown[] = [
      journals.map((j) => j.input.type),
      journals.map((j) => j.input.reference),
      journals.map((j) => j.input.userId ?? null),
      journals.map((j) => j.input.description ?? ''),
      journals.flatMap((j) => j.lines.map(() => j.input.reference)),
      ...lineColumns(allLines),
      ...deltaColumns(updates),
      ...deltaColumns(upserts),
      updates.length,
    ];
    const ext = extend((value) => `$${params.push(value)}`);
    // Inside a transaction (an Idempotency-Key's), a refused statement aborts it (25P02): a
    // savepoint lets the refusal roll back to here and read why on the same connection.
    const inTx = em.queryRunner?.isTransactionActive === true;
    if (inTx) await em.query('SAVEPOINT ledger_post');
    try {
      // `lk` locks the rows to debit in (account, asset) order (an UPDATE joined to a list
      // locks in whatever order the plan visits them: two orders of one user deadlocked);
      // `u` then updates them, READ COMMITTED applying each delta to the latest version.
      // `j` selects from `u`, so every debit is applied before anything else; `pb` waits for
      // every other CTE, so the shared rows are locked last, for as short a time as possible
      // before the commit. A missing row (never expected: they were just ensured) aborts the
      // statement through a failing cast rather than posting a journal without it.
      return await queryPrepared<Record<string, unknown>[]>(
        em,
        `WITH lk AS (
           SELECT 1 FROM balances b
           JOIN unnest($11::varchar[], $12::varchar[], $15::smallint[]) AS k(account, asset, shard) ON b.account = k.account AND b.asset = k.asset AND b.shard = k.shard
           ORDER BY b.account, b.asset, b.shard
           FOR UPDATE OF b
         ), u AS (
           UPDATE balances b SET available = b.available + d.available, locked = b.locked + d.locked, updated_at = now()
           FROM unnest($11::varchar[], $12::varchar[], $13::numeric[], $14::numeric[], $15::smallint[]) AS d(account, asset, available, locked, shard)
           WHERE b.account = d.account AND b.asset = d.asset AND b.shard = d.shard AND (SELECT count(*) FROM lk) >= 0
           RETURNING 1
         ), j AS (
           INSERT INTO ledger_journals (type, reference, user_id, description)
           SELECT x.type, x.reference, x.user_id, x.description
           FROM (SELECT count(*) AS n FROM u) c, unnest($1::varchar[], $2::varchar[], $3::uuid[], $4::text[]) AS x(type, reference, user_id, description)
           WHERE CASE WHEN c.n = $21::int THEN true ELSE ('ledger: balance row to debit is missing, updated ' || c.n || ' of ' || $21::int)::boolean END
           RETURNING id, reference, created_at
         ), e AS (
           INSERT INTO ledger_entries (journal_id, account, asset, bucket, kind, amount, created_at)
           SELECT j.id, l.account, l.asset, l.bucket, l.kind, l.amount, j.created_at
           FROM unnest($5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[], $9::varchar[], $10::numeric[]) AS l(reference, account, asset, bucket, kind, amount)
           JOIN j ON j.reference = l.reference
           RETURNING 1
         )${ext.ctes.map((c) => `, ${c.name} AS (${c.sql})`).join('')}, pb AS (
           INSERT INTO balances (account, asset, shard, available, locked)
           SELECT d.account, d.asset, d.shard, d.available, d.locked
           FROM unnest($16::varchar[], $17::varchar[], $18::numeric[], $19::numeric[], $20::smallint[]) AS d(account, asset, available, locked, shard)
           WHERE ${['j', 'e', ...ext.ctes.map((c) => c.name)].map((n) => `(SELECT count(*) FROM ${n}) >= 0`).join(' AND ')}
           ORDER BY 1, 2, 3
           ON CONFLICT (account, asset, shard) DO UPDATE
             SET available = balances.available + EXCLUDED.available,
                 locked = balances.locked + EXCLUDED.locked,
                 updated_at = now()
         )
         ${ext.select}`,
        params,
      );
    } catch (e) {
      if (pgErrorCode(e) === '23514') {
        if (inTx) await em.query('ROLLBACK TO SAVEPOINT ledger_post');
        throw await this.overdraft(em, updates);
      }
      throw ledgerError(e, deltas[0]?.asset ?? '');
    }
  }

  /** Reserves funds: available → locked on the same account. */
  hold(em: EntityManager, h: HoldInput, locked?: LockedBalances): Promise<string> {
    return this.post(em, { ...h, lines: this.moveLines(h, 'available', 'locked', 'hold') }, locked);
  }

  /** Gives a reservation back: locked → available. */
  release(em: EntityManager, h: HoldInput, locked?: LockedBalances): Promise<string> {
    return this.post(em, { ...h, lines: this.moveLines(h, 'locked', 'available', 'release') }, locked);
  }

  /** Current balances of an account (no lock). */
  async balancesOf(em: EntityManager, account: string): Promise<{ asset: string; available: string; locked: string; updatedAt: Date }[]> {
    const rows = (await em.query(
      `SELECT asset, sum(available) AS available, sum(locked) AS locked, max(updated_at) AS updated_at FROM balances WHERE account = $1 GROUP BY asset ORDER BY asset`,
      [account],
    )) as {
      asset: string;
      available: string;
      locked: string;
      updated_at: Date;
    }[];
    return rows.map((r) => ({ asset: r.asset, available: r.available, locked: r.locked, updatedAt: r.updated_at }));
  }

  /** The shard the next journal writes the platform accounts' rows to: round-robin, so concurrent trades spread over all of them. */
  private pickShard(): number {
    const shard = this.nextShard;
    this.nextShard = (shard + 1) % this.shards;
    return shard;
  }

  /**
   * Takes a debit of a sharded account that must not go negative from its
   * shards: locks them all (shard order; after the user rows, like every
   * platform row), refuses when their sum is short, else debits shard after
   * shard. A credit to the other bucket in the same delta goes to shard 0.
   */
  private async spreadShardedDebit(em: EntityManager, d: BalanceDelta): Promise<{ updates: RowDelta[]; upserts: RowDelta[] }> {
    const rows = ((await em.query(`SELECT shard, available, locked FROM balances WHERE account = $1 AND asset = $2 ORDER BY shard FOR UPDATE`, [d.account, d.asset])) as {
      shard: number;
      available: string;
      locked: string;
    }[]).map((r) => ({ shard: Number(r.shard), available: dec(r.available), locked: dec(r.locked) }));
    const taken = new Map<number, RowDelta>();
    const credit: RowDelta = { account: d.account, asset: d.asset, shard: 0, available: dec(0), locked: dec(0) };
    for (const bucket of ['available', 'locked'] as const) {
      if (!d[bucket].isNegative()) {
        credit[bucket] = d[bucket];
        continue;
      }
      const total = rows.reduce((sum, r) => sum.add(r[bucket]), dec(0));
      if (total.add(d[bucket]).isNegative()) throw insufficientFunds(d.asset, d[bucket].neg(), total);
      let owed = d[bucket].neg();
      for (const r of rows) {
        if (owed.isZero()) break;
        const take = Dec.min(r[bucket], owed);
        if (!take.isPositive()) continue;
        const t = taken.get(r.shard) ?? { account: d.account, asset: d.asset, shard: r.shard, available: dec(0), locked: dec(0) };
        t[bucket] = t[bucket].sub(take);
        taken.set(r.shard, t);
        owed = owed.sub(take);
      }
    }
    return { updates: [...taken.values()], upserts: credit.available.isZero() && credit.locked.isZero() ? [] : [credit] };
  }

  private moveLines(h: HoldInput, from: 'available' | 'locked', to: 'available' | 'locked', kind: EntryKind): LedgerLine[] {
    return [
      { account: h.account, asset: h.asset, amount: h.amount.neg(), bucket: from, kind },
      { account: h.account, asset: h.asset, amount: h.amount, bucket: to, kind },
    ];
  }

  /** Creates the missing rows among these at zero (no lock held afterwards); skips rows this process knows exist. */
  private ensureRows(em: EntityManager, pairs: RowDelta[]): Promise<void> {
    return this.balanceRows.ensure(em, pairs.map((p) => ({ key: balanceKey(p.account, p.asset), columns: [p.account, p.asset] })));
  }

  /**
   * The INSUFFICIENT_FUNDS of a refused debit, with what was needed and what is available now.
   * On `em`: its transaction, if any, was rolled back to before the refused statement; never
   * through another connection while this one is held (one request would hang PGlite).
   */
  private async overdraft(em: EntityManager, debits: BalanceDelta[]): Promise<AppError> {
    const rows = (await em.query(
      `SELECT b.account, b.asset, b.available, b.locked FROM balances b
       JOIN unnest($1::varchar[], $2::varchar[]) AS k(account, asset) ON b.account = k.account AND b.asset = k.asset AND b.shard = 0`,
      [debits.map((d) => d.account), debits.map((d) => d.asset)],
    )) as { account: string; asset: string; available: string; locked: string }[];
    const now = new Map(rows.map((r) => [balanceKey(r.account, r.asset), { available: dec(r.available), locked: dec(r.locked) }]));
    for (const d of debits) {
      const row = now.get(balanceKey(d.account, d.asset)) ?? { available: dec(0), locked: dec(0) };
      if (row.available.add(d.available).isNegative()) return insufficientFunds(d.asset, d.available.neg(), row.available);
      if (row.locked.add(d.locked).isNegative()) return insufficientFunds(d.asset, d.locked.neg(), row.locked);
    }
    // Refused against a balance that has grown since: name the first asset debited.
    return insufficientFunds(debits.find((d) => d.available.isNegative() || d.locked.isNegative())?.asset ?? debits[0]?.asset ?? '');
  }

  private async selectForUpdate(em: EntityManager, pairs: BalanceKeyPair[]): Promise<LockedBalances> {
    const rows = (await em.query(
      `SELECT b.account, b.asset, b.available, b.locked
       FROM balances b
       JOIN unnest($1::varchar[], $2::varchar[]) AS k(account, asset) ON b.account = k.account AND b.asset = k.asset AND b.shard = 0
       ORDER BY b.account, b.asset
       FOR UPDATE OF b`,
      [pairs.map((p) => p.account), pairs.map((p) => p.asset)],
    )) as { account: string; asset: string; available: string; locked: string }[];
    return new Map(rows.map((r) => [balanceKey(r.account, r.asset), { available: dec(r.available), locked: dec(r.locked) }]));
  }
}

/** $1–$19 of both journal statements: the journal, its lines, the rows updated in place, the rows upserted. */
function journalParams(input: JournalInput, lines: LedgerLine[], updates: RowDelta[], upserts: RowDelta[]): unknown[] {
  return [
    input.type,
    input.reference,
    input.userId ?? null,
    input.description ?? '',
    ...lineColumns(lines),
    ...deltaColumns(updates),
    ...deltaColumns(upserts),
  ];
}

/** The entries' columns (account, asset, bucket, kind, amount), one array each, for `unnest`. */
function lineColumns(lines: LedgerLine[]): unknown[][] {
  return [lines.map((l) => l.account), lines.map((l) => l.asset), lines.map((l) => l.bucket), lines.map((l) => l.kind), lines.map((l) => l.amount.toFixed())];
}

function deltaColumns(ds: RowDelta[]): unknown[][] {
  return [ds.map((d) => d.account), ds.map((d) => d.asset), ds.map((d) => d.available.toFixed()), ds.map((d) => d.locked.toFixed()), ds.map((d) => d.shard)];
}

/** A debit of an account spread over shards that must not go negative (`platform:fees`). */
function isShardedDebit(d: BalanceDelta): boolean {
  return SHARDED_ACCOUNTS.has(d.account) && !CONTRA_ACCOUNTS.has(d.account) && (d.available.isNegative() || d.locked.isNegative());
}

function dedupe(pairs: BalanceKeyPair[]): BalanceKeyPair[] {
  const seen = new Map<string, BalanceKeyPair>();
  for (const p of pairs) seen.set(balanceKey(p.account, p.asset), { account: p.account, asset: p.asset });
  return [...seen.values()].sort(compareKeys);
}

/** Database refusals a client can cause, as their 422s; everything else stays an internal error. */
export function ledgerError(e: unknown, asset: string): unknown {
  const code = pgErrorCode(e);
  if (code === '23505' && /ledger_journals_reference_key/.test(String((e as { driverError?: { constraint?: string } }).driverError?.constraint ?? (e as Error).message))) {
    return conflict('ALREADY_EXISTS', 'This movement was already recorded');
  }
  if (code === '23514') return insufficientFunds(asset);
  if (code === '22003') return unprocessable('LIMIT_EXCEEDED', 'The amount is larger than an account can hold');
  return e;
}
