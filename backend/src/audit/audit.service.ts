import { Injectable, Logger } from '@nestjs/common';
import { requestContext } from '../common/request-context';
import type { Tx } from '../database/unit-of-work';
import { AuditLogFilter, AuditLogRow, AuditRepository } from './audit.repository';

export type { AuditLogFilter, AuditLogRow };

export interface AuditEvent {
  action: string;
  /** The user the event is about. */
  userId?: string | null;
  /** Who did it, when not the user (an admin). */
  actorId?: string | null;
  details?: Record<string, unknown>;
}

/** Writes (and, for the back office, reads) the append-only audit log. Request id, IP and user agent come from the request context. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(private readonly repo: AuditRepository) {}

  /** Records an event; pass `tx` to write it in the caller's transaction. */
  async record(event: AuditEvent, tx?: Tx): Promise<void> {
    const ctx = requestContext.getStore();
    const row = {
      action: event.action,
      userId: event.userId ?? null,
      actorId: event.actorId ?? null,
      details: event.details ?? {},
      ip: ctx?.ip ?? null,
      userAgent: ctx?.userAgent ?? null,
      requestId: ctx?.requestId ?? null,
    };
    await this.repo.insert(row, tx);
    this.logger.log({ audit: event.action, userId: row.userId, actorId: row.actorId }, 'audit');
  }

  /** The log newest first, filtered (the back office's audit-log view). */
  list(filter: AuditLogFilter): Promise<AuditLogRow[]> {
    return this.repo.list(filter);
  }
}
