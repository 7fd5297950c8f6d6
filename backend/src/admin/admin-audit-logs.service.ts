import { Injectable } from '@nestjs/common';
import { type AuditLogRow, AuditService } from '../audit/audit.service';
import { UsersReader } from '../auth/users/users.reader';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { AuditLogDto, AuditLogListDto, AuditLogQueryDto } from './dto/admin-back-office.dto';

export function toAuditLogDto(r: AuditLogRow, emails: ReadonlyMap<string, string> = new Map()): AuditLogDto {
  return {
    id: String(r.id),
    action: r.action,
    userId: r.user_id,
    userEmail: (r.user_id && emails.get(r.user_id)) ?? null,
    actorId: r.actor_id,
    actorEmail: (r.actor_id && emails.get(r.actor_id)) ?? null,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    details: r.details ?? {},
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Reads the append-only audit log (through the audit module), newest first, with the emails of the accounts it names. */
@Injectable()
export class AdminAuditLogsService {
  constructor(
    private readonly audit: AuditService,
    private readonly users: UsersReader,
  ) {}

  async list(query: AuditLogQueryDto): Promise<AuditLogListDto> {
    const limit = query.limit ?? 50;
    const cursor = decodeCursor(query.cursor, 'bigint');
    const rows = await this.audit.list({ userId: query.userId, action: query.action, from: query.from, to: query.to, beforeId: cursor?.id, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const emails = await this.users.emails(page.flatMap((r) => [r.user_id, r.actor_id].filter((id): id is string => id !== null)));
    return {
      items: page.map((r) => toAuditLogDto(r, emails)),
      nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null,
    };
  }
}
