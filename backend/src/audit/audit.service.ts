import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { requestContext } from '../common/request-context';
import { AuditLogEntity } from './entities/audit-log.entity';

export interface AuditEvent {
  action: string;
  /** The user the event is about. */
  userId?: string | null;
  /** Who did it, when not the user (an admin). */
  actorId?: string | null;
  details?: Record<string, unknown>;
}

/** Writes the append-only audit log. Request id, IP and user agent come from the request context. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records an event; pass `em` to write it in the caller's transaction. */
  async record(event: AuditEvent, em?: EntityManager): Promise<void> {
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
    await (em ?? this.dataSource.manager).insert(AuditLogEntity, row as QueryDeepPartialEntity<AuditLogEntity>);
    this.logger.log({ audit: event.action, userId: row.userId, actorId: row.actorId }, 'audit');
  }
}
