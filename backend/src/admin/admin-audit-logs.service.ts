import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { AuditLogDto, AuditLogListDto, AuditLogQueryDto } from './dto/admin-back-office.dto';

interface AuditLogRow {
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

export function toAuditLogDto(r: AuditLogRow): AuditLogDto {
  return {
    id: String(r.id),
    action: r.action,
    userId: r.user_id,
    actorId: r.actor_id,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    details: r.details ?? {},
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Reads the append-only audit log, newest first. */
@Injectable()
export class AdminAuditLogsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(query: AuditLogQueryDto): Promise<AuditLogListDto> {
    const limit = query.limit ?? 50;
    const cursor = decodeCursor(query.cursor, 'bigint');
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.userId) where.push(`user_id = $${params.push(query.userId)}`);
    if (query.action) {
      if (query.action.endsWith('.')) where.push(`starts_with(action, $${params.push(query.action)})`);
      else where.push(`action = $${params.push(query.action)}`);
    }
    if (query.from) where.push(`created_at >= $${params.push(query.from)}`);
    if (query.to) where.push(`created_at < $${params.push(query.to)}`);
    // The id is a sequence: it orders the log as it was written.
    if (cursor) where.push(`id < $${params.push(cursor.id)}::bigint`);
    const rows = await this.dataSource.query<AuditLogRow[]>(
      `SELECT * FROM audit_logs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toAuditLogDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }
}
