import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../../database/rows';
import type { Tx } from '../../database/unit-of-work';
import type { CostBasisMethod } from './lot-matching';

export interface MethodRow {
  method: CostBasisMethod;
  effective_from: Date;
  created_at: Date;
}

/**
 * What the owner said about their lots, the tables of portfolio/lots: `cost_basis_methods`, `lot_cost_entries`,
 * `withdrawal_transfer_marks`. The lots are not stored (LotsService rebuilds them from the ledger).
 */
@Injectable()
export class LotsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The user's method history, oldest first. */
  methods(userId: string, tx?: Tx): Promise<MethodRow[]> {
    return (tx ?? this.dataSource).query(
      `SELECT method, effective_from, created_at FROM cost_basis_methods WHERE user_id = $1 ORDER BY effective_from, created_at`,
      [userId],
    );
  }

  /**
   * Takes the user's row lock (`users` FOR UPDATE: method changes of one user one at a time), then records a method
   * change from `effectiveFrom` (never before the database's now), replacing changes not yet in force that would start
   * at or after it. Returns the instant it takes effect.
   */
  async addMethod(tx: Tx, userId: string, method: CostBasisMethod, effectiveFrom: Date): Promise<Date> {
    await tx.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [userId]);
    const [row] = (await tx.query(`SELECT greatest($1::timestamptz, now()) AS at`, [effectiveFrom])) as { at: Date }[];
    await tx.query(`DELETE FROM cost_basis_methods WHERE user_id = $1 AND effective_from > now() AND effective_from >= $2`, [userId, row.at]);
    await tx.query(`INSERT INTO cost_basis_methods (user_id, method, effective_from) VALUES ($1, $2, $3)`, [userId, method, row.at]);
    return row.at;
  }

  /** The costs the user entered, by the journal that opened the lot. */
  async costs(userId: string): Promise<Map<string, string>> {
    const rows = (await this.dataSource.query(`SELECT journal_id, cost_basis::text AS cost FROM lot_cost_entries WHERE user_id = $1`, [userId])) as {
      journal_id: string;
      cost: string;
    }[];
    return new Map(rows.map((r) => [r.journal_id, r.cost]));
  }

  /** Enters (or, with null, clears) the cost of a lot; the previous cost, null when there was none. */
  async setCost(tx: Tx, userId: string, journalId: string, cost: string | null): Promise<string | null> {
    const [before] = (await tx.query(`SELECT cost_basis::text AS cost FROM lot_cost_entries WHERE user_id = $1 AND journal_id = $2 FOR UPDATE`, [
      userId,
      journalId,
    ])) as { cost: string }[];
    if (cost === null) await tx.query(`DELETE FROM lot_cost_entries WHERE user_id = $1 AND journal_id = $2`, [userId, journalId]);
    else
      await tx.query(
        `INSERT INTO lot_cost_entries (user_id, journal_id, cost_basis) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, journal_id) DO UPDATE SET cost_basis = EXCLUDED.cost_basis, updated_at = now()`,
        [userId, journalId, cost],
      );
    return before?.cost ?? null;
  }

  /** Withdrawals the user marked as to their own wallet. */
  async ownWalletWithdrawals(userId: string): Promise<Set<string>> {
    const rows = (await this.dataSource.query(`SELECT withdrawal_id FROM withdrawal_transfer_marks WHERE user_id = $1`, [userId])) as {
      withdrawal_id: string;
    }[];
    return new Set(rows.map((r) => r.withdrawal_id));
  }

  /** Marks or unmarks a withdrawal as to the user's own wallet; whether anything changed. */
  async setOwnWallet(tx: Tx, userId: string, withdrawalId: string, ownWallet: boolean): Promise<boolean> {
    const rows = await queryRows<{ withdrawal_id: string }>(
      tx,
      ownWallet
        ? `INSERT INTO withdrawal_transfer_marks (user_id, withdrawal_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING withdrawal_id`
        : `DELETE FROM withdrawal_transfer_marks WHERE user_id = $1 AND withdrawal_id = $2 RETURNING withdrawal_id`,
      [userId, withdrawalId],
    );
    return rows.length > 0;
  }
}
