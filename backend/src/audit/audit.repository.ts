import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Tx } from '../database/unit-of-work';

/** What one audit row records (request id, IP and user agent come from the request context). */
export interface NewAuditRow {
  action: string;
  userId: string | null;
  actorId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** An `audit_logs` row as it is read back. */
export interface AuditLogRow {
  id: string;
  action: string;
  user_id: string | null;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  created_at: Date;
}

/** Which rows of the log to read: `action` ending in '.' is a prefix; `beforeId` pages by the sequence. */
export interface AuditLogFilter {
  userId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  beforeId?: string;
  limit: number;
}

/** The append-only `audit_logs` table (its trigger refuses UPDATE and DELETE). */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(row: NewAuditRow, tx?: Tx): Promise<void> {
    await (tx ?? this.dataSource).query(
      'INSERT INTO audit_logs (action, user_id, actor_id, details, ip, user_agent, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [row.action, row.userId, row.actorId, JSON.stringify(row.details), row.ip, row.userAgent, row.requestId],
    );
  }

  /** Newest first (the id is a sequence: it orders the log as it was written). */
  async list(filter: AuditLogFilter): Promise<AuditLogRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.userId) where.push(`user_id = $${params.push(filter.userId)}`);
    if (filter.action) {
      if (filter.action.endsWith('.')) where.push(`starts_with(action, $${params.push(filter.action)})`);
      else where.push(`action = $${params.push(filter.action)}`);
    }
    if (filter.from) where.push(`created_at >= $${params.push(filter.from)}`);
    if (filter.to) where.push(`created_at < $${params.push(filter.to)}`);
    if (filter.beforeId) where.push(`id < $${params.push(filter.beforeId)}::bigint`);
    return this.dataSource.query<AuditLogRow[]>(
      `SELECT id, action, user_id, actor_id, ip, user_agent, request_id, details, created_at
         FROM audit_logs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
  }
}
