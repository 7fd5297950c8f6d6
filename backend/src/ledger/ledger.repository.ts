import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { dec } from '../common/money/decimal';
import { EnsuredRows } from '../database/ensured-rows';
import { queryPrepared } from '../database/prepared';
import { pgErrorCode } from '../database/transaction';
import type { Tx } from '../database/unit-of-work';
import { BalanceDelta } from './ledger-math';
import { balanceKey, BalanceRow, JournalInput, LedgerLine } from './ledger.types';
import { shiftPlaceholders, StatementExtension } from './statement-parts';

export interface BalanceKeyPair {
  account: string;
  asset: string;
}

/** A balance change of one row: `shard` is 0 except on the platform's sharded accounts. */
export interface RowDelta extends BalanceDelta {
  shard: number;
}

/** One shard row of a platform account, as locked for a debit. */
export interface ShardRow {
  shard: number;
  available: ReturnType<typeof dec>;
  locked: ReturnType<typeof dec>;
}

/** An account's balance of one asset (the sum of its shards), as shown to its holder. */
export interface AccountBalanceRow {
  asset: string;
  available: string;
  locked: string;
  updatedAt: Date;
}

/** A journal to post in the many-journals statement, with its non-zero lines. */
export interface JournalToPost {
  input: JournalInput;
  lines: LedgerLine[];
}

/** The number of parameters of the many-journals statement before the extension's parts. */
const MANY_PARAMS = 21;

/**
 * All SQL of the ledger's tables (`ledger_journals`, `ledger_entries`,
 * `balances`): the two journal statements, the row locks, and the reads.
 * The rules (what may go negative, lock order, shards) live in LedgerService.
 */
@Injectable()
export class LedgerRepository {
  private readonly balanceRows = new EnsuredRows(
    `INSERT INTO balances (account, asset)
     SELECT * FROM unnest($1::varchar[], $2::varchar[]) ORDER BY 1, 2
     ON CONFLICT DO NOTHING`,
  );

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates missing rows at zero, in (account, asset) order, taking no lock a caller holds afterwards. */
  async createMissingRows(tx: Tx, pairs: BalanceKeyPair[]): Promise<void> {
    await tx.query(
      `INSERT INTO balances (account, asset)
       SELECT * FROM unnest($1::varchar[], $2::varchar[]) ORDER BY 1, 2
       ON CONFLICT DO NOTHING`,
      [pairs.map((p) => p.account), pairs.map((p) => p.asset)],
    );
  }

  /** Like createMissingRows, but skips rows this process knows exist (the hot path). */
  ensureRows(tx: Tx, pairs: BalanceKeyPair[]): Promise<void> {
    return this.balanceRows.ensure(
      tx,
      pairs.map((p) => ({ key: balanceKey(p.account, p.asset), columns: [p.account, p.asset] })),
    );
  }

  /** Locks the (shard 0) rows of these pairs in (account, asset) order and returns their values. */
  async lockRows(tx: Tx, pairs: BalanceKeyPair[]): Promise<Map<string, BalanceRow>> {
    const rows = (await tx.query(
      `SELECT b.account, b.asset, b.available, b.locked
       FROM balances b
       JOIN unnest($1::varchar[], $2::varchar[]) AS k(account, asset) ON b.account = k.account AND b.asset = k.asset AND b.shard = 0
       ORDER BY b.account, b.asset
       FOR UPDATE OF b`,
      [pairs.map((p) => p.account), pairs.map((p) => p.asset)],
    )) as { account: string; asset: string; available: string; locked: string }[];
    return new Map(rows.map((r) => [balanceKey(r.account, r.asset), { available: dec(r.available), locked: dec(r.locked) }]));
  }

  /** The (shard 0) rows of these pairs now, without a lock. */
  async currentRows(tx: Tx, pairs: BalanceKeyPair[]): Promise<Map<string, BalanceRow>> {
    const rows = (await tx.query(
      `SELECT b.account, b.asset, b.available, b.locked FROM balances b
       JOIN unnest($1::varchar[], $2::varchar[]) AS k(account, asset) ON b.account = k.account AND b.asset = k.asset AND b.shard = 0`,
      [pairs.map((p) => p.account), pairs.map((p) => p.asset)],
    )) as { account: string; asset: string; available: string; locked: string }[];
    return new Map(rows.map((r) => [balanceKey(r.account, r.asset), { available: dec(r.available), locked: dec(r.locked) }]));
  }

  /** Locks every shard row of a platform account's asset, in shard order. */
  async lockShards(tx: Tx, account: string, asset: string): Promise<ShardRow[]> {
    const rows = (await tx.query(`SELECT shard, available, locked FROM balances WHERE account = $1 AND asset = $2 ORDER BY shard FOR UPDATE`, [
      account,
      asset,
    ])) as {
      shard: number;
      available: string;
      locked: string;
    }[];
    return rows.map((r) => ({ shard: Number(r.shard), available: dec(r.available), locked: dec(r.locked) }));
  }

  /**
   * Writes one journal, its entries, the rows updated in place (locked by the
   * caller) and the rows upserted (platform and contra) in ONE statement.
   * Returns the journal id.
   */
  async insertJournal(tx: Tx, input: JournalInput, lines: LedgerLine[], updates: RowDelta[], upserts: RowDelta[]): Promise<string> {
    const [row] = (await tx.query(
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
      [input.type, input.reference, input.userId ?? null, input.description ?? '', ...lineColumns(lines), ...deltaColumns(updates), ...deltaColumns(upserts)],
    )) as { id: string }[];
    return row.id;
  }

  /**
   * The many-journals statement (see LedgerService.postManyInOneStatement):
   * debits first (`lk` locks the rows in (account, asset) order, `u` updates
   * them), then the journals, their entries, the extension's parts, and last
   * the credit-only shared rows by one sorted upsert. Its text does not depend
   * on how many journals there are, so it is a prepared statement. Inside a
   * transaction, a refusal by the balances CHECK (23514) rolls back to before
   * the statement, so the caller can read why on the same connection.
   * Returns the rows of `extension.select`.
   */
  async postMany<T>(tx: Tx, journals: JournalToPost[], updates: RowDelta[], upserts: RowDelta[], extension: StatementExtension): Promise<T[]> {
    const allLines = journals.flatMap((j) => j.lines);
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
    if (params.length !== MANY_PARAMS) throw new Error('ledger: the journal statement has changed its parameters');
    const ctes: { name: string; sql: string }[] = [];
    for (const part of extension.parts) {
      const offset = params.length;
      params.push(...part.params);
      for (const c of part.ctes) ctes.push({ name: c.name, sql: shiftPlaceholders(c.sql, offset) });
    }
    const inTx = tx.queryRunner?.isTransactionActive === true;
    if (inTx) await tx.query('SAVEPOINT ledger_post');
    try {
      // `lk` locks the rows to debit in (account, asset) order (an UPDATE joined to a list
      // locks in whatever order the plan visits them: two orders of one user deadlocked);
      // `u` then updates them, READ COMMITTED applying each delta to the latest version.
      // `j` selects from `u`, so every debit is applied before anything else; `pb` waits for
      // every other CTE, so the shared rows are locked last, for as short a time as possible
      // before the commit. A missing row (never expected: they were just ensured) aborts the
      // statement through a failing cast rather than posting a journal without it.
      return await queryPrepared<T[]>(
        tx,
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
         )${ctes.map((c) => `, ${c.name} AS (${c.sql})`).join('')}, pb AS (
           INSERT INTO balances (account, asset, shard, available, locked)
           SELECT d.account, d.asset, d.shard, d.available, d.locked
           FROM unnest($16::varchar[], $17::varchar[], $18::numeric[], $19::numeric[], $20::smallint[]) AS d(account, asset, available, locked, shard)
           WHERE ${['j', 'e', ...ctes.map((c) => c.name)].map((n) => `(SELECT count(*) FROM ${n}) >= 0`).join(' AND ')}
           ORDER BY 1, 2, 3
           ON CONFLICT (account, asset, shard) DO UPDATE
             SET available = balances.available + EXCLUDED.available,
                 locked = balances.locked + EXCLUDED.locked,
                 updated_at = now()
         )
         ${extension.select}`,
        params,
      );
    } catch (e) {
      if (inTx && pgErrorCode(e) === '23514') await tx.query('ROLLBACK TO SAVEPOINT ledger_post');
      throw e;
    }
  }

  /** Current balances of an account, its shards summed (no lock); outside a transaction unless `tx` is given. */
  async balancesOf(account: string, tx?: Tx): Promise<AccountBalanceRow[]> {
    const rows = (await (tx ?? this.dataSource).query(
      `SELECT asset, sum(available) AS available, sum(locked) AS locked, max(updated_at) AS updated_at FROM balances WHERE account = $1 GROUP BY asset ORDER BY asset`,
      [account],
    )) as { asset: string; available: string; locked: string; updated_at: Date }[];
    return rows.map((r) => ({ asset: r.asset, available: r.available, locked: r.locked, updatedAt: r.updated_at }));
  }
}

/** The entries' columns (account, asset, bucket, kind, amount), one array each, for `unnest`. */
function lineColumns(lines: LedgerLine[]): unknown[][] {
  return [lines.map((l) => l.account), lines.map((l) => l.asset), lines.map((l) => l.bucket), lines.map((l) => l.kind), lines.map((l) => l.amount.toFixed())];
}

function deltaColumns(ds: RowDelta[]): unknown[][] {
  return [ds.map((d) => d.account), ds.map((d) => d.asset), ds.map((d) => d.available.toFixed()), ds.map((d) => d.locked.toFixed()), ds.map((d) => d.shard)];
}
