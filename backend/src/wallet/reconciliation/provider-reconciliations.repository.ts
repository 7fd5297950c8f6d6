import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ReconciliationLine, ReconciliationStatus, ReconciliationTrigger } from './provider-reconciliation';

/** A `provider_reconciliations` row (snake_case), as the database answers it. */
export interface ReconciliationRow {
  id: string;
  provider: string;
  trigger: ReconciliationTrigger;
  requested_by: string | null;
  status: ReconciliationStatus;
  lines: ReconciliationLine[];
  error: string | null;
  duration_ms: number;
  created_at: Date | string;
}

/** The `provider_reconciliations` table (owned by wallet). */
@Injectable()
export class ProviderReconciliationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(r: {
    provider: string;
    trigger: ReconciliationTrigger;
    requestedBy: string | null;
    status: ReconciliationStatus;
    lines: ReconciliationLine[];
    error: string | null;
    durationMs: number;
  }): Promise<ReconciliationRow> {
    const [row] = (await this.dataSource.query(
      `INSERT INTO provider_reconciliations (provider, trigger, requested_by, status, lines, error, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [r.provider, r.trigger, r.requestedBy, r.status, JSON.stringify(r.lines), r.error?.slice(0, 500) ?? null, r.durationMs],
    )) as ReconciliationRow[];
    return row;
  }

  async latest(): Promise<ReconciliationRow | undefined> {
    const [row] = (await this.dataSource.query(`SELECT * FROM provider_reconciliations ORDER BY created_at DESC, id DESC LIMIT 1`)) as ReconciliationRow[];
    return row;
  }

  /** Newest first, after `cursor` (keyset at millisecond precision, what the cursor carries); `limit` rows at most. */
  page(limit: number, cursor?: { createdAt: Date | string; id: string }): Promise<ReconciliationRow[]> {
    return this.dataSource.query(
      `SELECT * FROM provider_reconciliations ${cursor ? 'WHERE (created_at, id) < ($2, $3::uuid)' : ''} ORDER BY created_at DESC, id DESC LIMIT $1`,
      [limit, ...(cursor ? [cursor.createdAt, cursor.id] : [])],
    );
  }
}
