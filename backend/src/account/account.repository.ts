import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { dec, toFixedString } from '../common/money/decimal';
import { queryRows } from '../database/rows';
import type { Tx } from '../database/unit-of-work';
import type { AccountExportStatus } from './account-export-rules';
import { erasePersonalData } from './erasure/personal-data-erasure.repository';

/** An `account_exports` row without its file, as the driver returns it. */
export interface AccountExportRow {
  id: string;
  user_id: string;
  status: AccountExportStatus;
  progress: number;
  attempts: number;
  size_bytes: number | null;
  error: string | null;
  created_at: Date;
  completed_at: Date | null;
  expires_at: Date | null;
  downloaded_at: Date | null;
}

/** An export the worker claimed: `attempts` is its fence (every later write checks it). */
export interface ClaimedExport {
  id: string;
  user_id: string;
  attempts: number;
  created_at: Date;
}

/** A table of the schema with its columns, in their order. */
export interface SchemaTable {
  table: string;
  columns: string[];
}

/** What keeps an account from closing. */
export interface ClosureBlockersRow {
  balances: { asset: string; available: string; locked: string }[];
  openOrders: number;
  openWithdrawals: number;
  openDeposits: number;
}

const EXPORT_COLUMNS = `id, user_id, status, progress, attempts, size_bytes, error, created_at, completed_at, expires_at, downloaded_at`;

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * All SQL of `account_exports` and `account_closures` (owned by account), and two reads that reach every table by
 * design: the rows of a user for "Download my data" (read only; the tables and their filters are
 * account-export-rules.ts) and what keeps an account from closing (balances, open orders, withdrawals, deposits).
 * The erasure itself is erasure/personal-data-erasure.repository.ts (docs/ARCHITECTURE.md "Your data").
 */
@Injectable()
export class AccountRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // --- exports ---

  /** The user's exports under way (pending or running) and those requested since `since`. */
  async exportCounts(tx: Tx, userId: string, since: Date): Promise<{ active: number; recent: number; oldestRecent: Date | null }> {
    const [row] = await tx.query<{ active: number; recent: number; oldest_recent: Date | null }[]>(
      `SELECT count(*) FILTER (WHERE status IN ('pending', 'running'))::int AS active,
              count(*) FILTER (WHERE created_at >= $2)::int AS recent,
              min(created_at) FILTER (WHERE created_at >= $2) AS oldest_recent
         FROM account_exports WHERE user_id = $1`,
      [userId, since],
    );
    return { active: row.active, recent: row.recent, oldestRecent: row.oldest_recent };
  }

  async insertExport(tx: Tx, userId: string): Promise<AccountExportRow> {
    const [row] = await tx.query<AccountExportRow[]>(`INSERT INTO account_exports (user_id) VALUES ($1) RETURNING ${EXPORT_COLUMNS}`, [userId]);
    return row;
  }

  listExports(userId: string, limit: number): Promise<AccountExportRow[]> {
    return this.dataSource.query<AccountExportRow[]>(
      `SELECT ${EXPORT_COLUMNS} FROM account_exports WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [userId, limit],
    );
  }

  /** One export of the user's with its file (null unless ready); undefined when it is not the user's. */
  async exportWithFile(userId: string, id: string): Promise<(AccountExportRow & { file: Buffer | null }) | undefined> {
    const [row] = await this.dataSource.query<(AccountExportRow & { file: Buffer | null })[]>(
      `SELECT ${EXPORT_COLUMNS}, file FROM account_exports WHERE id = $1 AND user_id = $2`,
      [id, userId],
    );
    return row;
  }

  async markDownloaded(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE account_exports SET downloaded_at = COALESCE(downloaded_at, now()) WHERE id = $1`, [id]);
  }

  /** Gives up the exports whose maker stopped `maxAttempts` times (failed, with a reason the owner sees). */
  async failAbandoned(maxAttempts: number): Promise<ClaimedExport[]> {
    return queryRows<ClaimedExport>(
      this.dataSource,
      `UPDATE account_exports SET status = 'failed', claimed_until = NULL, error = 'The export could not be made'
        WHERE status = 'running' AND claimed_until < now() AND attempts >= $1
        RETURNING id, user_id, attempts, created_at`,
      [maxAttempts],
    );
  }

  /** Claims the oldest export waiting (or abandoned by its maker past the lease) for `leaseMs`; one instance gets it. */
  async claimNext(leaseMs: number, maxAttempts: number): Promise<ClaimedExport | undefined> {
    const [row] = await queryRows<ClaimedExport>(
      this.dataSource,
      `UPDATE account_exports
          SET status = 'running', attempts = attempts + 1, progress = 0,
              claimed_until = now() + make_interval(secs => $1::double precision / 1000)
        WHERE id = (
          SELECT id FROM account_exports
           WHERE (status = 'pending' OR (status = 'running' AND claimed_until < now())) AND attempts < $2
           ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id, user_id, attempts, created_at`,
      [leaseMs, maxAttempts],
    );
    return row;
  }

  /** Records progress and renews the lease; false when the claim is no longer this maker's. */
  async progress(claim: ClaimedExport, progress: number, leaseMs: number): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE account_exports SET progress = $3, claimed_until = now() + make_interval(secs => $4::double precision / 1000)
        WHERE id = $1 AND attempts = $2 AND status = 'running' RETURNING id`,
      [claim.id, claim.attempts, progress, leaseMs],
    );
    return rows.length > 0;
  }

  /** Stores the file: ready until `ttlDays` from now. Undefined when the claim is no longer this maker's. */
  async finish(claim: ClaimedExport, file: Buffer, ttlDays: number): Promise<AccountExportRow | undefined> {
    const [row] = await queryRows<AccountExportRow>(
      this.dataSource,
      `UPDATE account_exports
          SET status = 'ready', progress = 100, file = $3, size_bytes = $4, claimed_until = NULL,
              completed_at = now(), expires_at = now() + make_interval(days => $5)
        WHERE id = $1 AND attempts = $2 AND status = 'running'
        RETURNING ${EXPORT_COLUMNS}`,
      [claim.id, claim.attempts, file, file.length, ttlDays],
    );
    return row;
  }

  /** Deletes the files of the exports past their time. */
  async expire(): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE account_exports SET status = 'expired', file = NULL WHERE status = 'ready' AND expires_at <= now() RETURNING id`,
    );
    return rows.length;
  }

  /** Every table of the schema with its columns (what the export reads, and what tells it of tables it does not know). */
  async schemaTables(): Promise<SchemaTable[]> {
    const rows = await this.dataSource.query<{ table_name: string; columns: string[] }[]>(
      `SELECT c.table_name, array_agg(c.column_name::text ORDER BY c.ordinal_position) AS columns
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = current_schema()
        GROUP BY c.table_name ORDER BY c.table_name`,
    );
    return rows.map((r) => ({ table: r.table_name, columns: r.columns }));
  }

  /**
   * The rows of one table that are the user's. `table`, `columns`, `where` and `orderBy` come from
   * account-export-rules.ts and the schema itself, never from a request.
   */
  readUserRows(
    table: string,
    columns: string[],
    where: string,
    orderBy: string,
    userId: string,
    onlyWhere: Readonly<Record<string, string>> = {},
    tx?: Tx,
  ): Promise<Record<string, unknown>[]> {
    const list = columns.map((c) => (onlyWhere[c] ? `CASE WHEN ${onlyWhere[c]} THEN ${quoteIdent(c)} END AS ${quoteIdent(c)}` : quoteIdent(c))).join(', ');
    return (tx ?? this.dataSource).query<Record<string, unknown>[]>(`SELECT ${list} FROM ${quoteIdent(table)} WHERE ${where} ORDER BY ${orderBy}`, [userId]);
  }

  // --- closure ---

  async isClosed(userId: string, tx?: Tx): Promise<boolean> {
    const rows = await (tx ?? this.dataSource).query<unknown[]>(`SELECT 1 FROM account_closures WHERE user_id = $1`, [userId]);
    return rows.length > 0;
  }

  /**
   * What keeps the account from closing, read under the locks of its balance rows (a trade, a withdrawal or a credit
   * takes them too, so none lands between this check and the closure's commit).
   */
  async closureBlockers(tx: Tx, userId: string): Promise<ClosureBlockersRow> {
    const account = `user:${userId}`;
    await tx.query(`SELECT 1 FROM balances WHERE account = $1 ORDER BY asset FOR UPDATE`, [account]);
    const raw = await tx.query<{ asset: string; available: string; locked: string }[]>(
      `SELECT asset, available::text AS available, locked::text AS locked FROM balances
        WHERE account = $1 AND (available <> 0 OR locked <> 0) ORDER BY asset`,
      [account],
    );
    // Amounts as the API writes them (8 decimals; the column keeps more).
    const balances = raw.map((b) => ({ asset: b.asset, available: toFixedString(dec(b.available), 8), locked: toFixedString(dec(b.locked), 8) }));
    const [counts] = await tx.query<{ orders: number; withdrawals: number; deposits: number }[]>(
      `SELECT (SELECT count(*)::int FROM orders WHERE user_id = $1 AND status = 'open') AS orders,
              (SELECT count(*)::int FROM withdrawals WHERE user_id = $1 AND status IN ('pending', 'approved')) AS withdrawals,
              -- Money still on its way in: a deposit not finished (a partly paid one can be topped up) or an operator's
              -- credit awaiting its second approval would land in an account nobody can open any more.
              (SELECT count(*)::int FROM deposits WHERE user_id = $1 AND status IN ('waiting', 'confirming', 'confirmed', 'sending', 'partially_paid'))
              + (SELECT count(*)::int FROM ledger_adjustments WHERE user_id = $1 AND status = 'pending') AS deposits`,
      [userId],
    );
    return { balances, openOrders: counts.orders, openWithdrawals: counts.withdrawals, openDeposits: counts.deposits };
  }

  /** erasePersonalData in `tx` (see it for what is erased and what is kept). */
  erase(tx: Tx, userId: string, at: Date): Promise<void> {
    return erasePersonalData(tx, userId, at);
  }
}
