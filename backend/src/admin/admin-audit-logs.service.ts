import { Injectable } from '@nestjs/common';
import { type AuditLogRow, AuditService } from '../audit/audit.service';
import { UsersReader } from '../auth/users/users.reader';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { AuditLogDto, AuditLogListDto, AuditLogQueryDto } from './dto/admin-back-office.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every UUID among the values of `details`, at any depth (nested objects and arrays: an admin query's userId), each once. */
export function idsIn(details: unknown, found = new Set<string>(), depth = 0): Set<string> {
  if (typeof details === 'string') {
    if (UUID.test(details)) found.add(details.toLowerCase());
  } else if (details && typeof details === 'object' && depth < 5) {
    for (const v of Array.isArray(details) ? details : Object.values(details)) idsIn(v, found, depth + 1);
  }
  return found;
}

export function toAuditLogDto(r: AuditLogRow, emails: ReadonlyMap<string, string> = new Map()): AuditLogDto {
  const accounts = [...idsIn(r.details ?? {})].flatMap((id) => {
    const email = emails.get(id);
    return email === undefined ? [] : [{ id, email }];
  });
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
    accounts,
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
    // One look-up for the accounts of every entry: its user, its actor, and the ids its details name (most are no account).
    const emails = await this.users.emails([
      ...new Set(page.flatMap((r) => [r.user_id, r.actor_id, ...idsIn(r.details ?? {})].filter((id): id is string => id !== null))),
    ]);
    return {
      items: page.map((r) => toAuditLogDto(r, emails)),
      nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null,
    };
  }
}
