import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';
import type { Tx } from '../database/unit-of-work';

/** The `backup_codes` table: single-use second-factor codes (hashes only). */
@Injectable()
export class BackupCodesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The user's codes become exactly these (the old ones stop working). */
  async replace(tx: Tx, userId: string, codeHashes: readonly string[]): Promise<void> {
    await this.deleteAll(tx, userId);
    await tx.query('INSERT INTO backup_codes (user_id, code_hash) SELECT $1, unnest($2::char(64)[])', [userId, codeHashes]);
  }

  async deleteAll(tx: Tx, userId: string): Promise<void> {
    await tx.query('DELETE FROM backup_codes WHERE user_id = $1', [userId]);
  }

  /** Uses up the unused code with this hash; false when there is none. */
  async consume(userId: string, codeHash: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      'UPDATE backup_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id',
      [userId, codeHash],
    );
    return rows.length > 0;
  }

  async countUnused(userId: string): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM backup_codes WHERE user_id = $1 AND used_at IS NULL',
      [userId],
    );
    return count;
  }
}
