import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { notFound } from '../common/errors/app-error';
import { MarkAllReadResponseDto, NotificationDto, NotificationListDto, NotificationListQueryDto } from './dto/notification.dto';
import { NotificationEntity } from './entities/notification.entity';
import { MailService } from './mail.service';
import { UserEventsService } from './user-events.service';
import type { UserEventType } from './user-events';

export interface NotifyInput {
  type: UserEventType;
  title: string;
  body: string;
  /** Ids and figures the client needs to act on it (order id, alert id, amounts as strings). */
  data?: Record<string, unknown>;
  /** Also email the user (title as subject, body as text). */
  email?: boolean;
}

interface NotificationRow {
  id: string;
  user_id: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
}

export function toNotificationDto(n: Omit<NotificationEntity, 'userId'> & { userId?: string }): NotificationDto {
  return {
    id: n.id,
    type: n.type as UserEventType,
    title: n.title,
    body: n.body,
    data: n.data ?? {},
    read: n.readAt !== null,
    readAt: n.readAt ? new Date(n.readAt).toISOString() : null,
    createdAt: new Date(n.createdAt).toISOString(),
  };
}

/**
 * Tells a user something: stores an in-app notification, pushes it as a
 * realtime event to the user's sockets on every instance, and emails it when
 * asked. Call it after the change it reports has committed.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: UserEventsService,
    private readonly mail: MailService,
  ) {}

  /**
   * Stores and delivers one notification. Only the insert can fail the call:
   * a Redis or SMTP failure is logged (the notification stays in the list).
   * The email is sent in the background.
   */
  async notify(userId: string, input: NotifyInput): Promise<NotificationDto> {
    const [row] = await this.dataSource.query<NotificationRow[]>(
      'INSERT INTO notifications (user_id, type, title, body, data) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [userId, input.type, input.title, input.body, JSON.stringify(input.data ?? {})],
    );
    const dto = toNotificationDto({
      id: row.id,
      userId: row.user_id,
      type: row.type,
      title: row.title,
      body: row.body,
      data: row.data,
      readAt: row.read_at,
      createdAt: row.created_at,
    });
    try {
      await this.events.publish(userId, { type: input.type, data: dto.data, notification: dto, timestamp: dto.createdAt });
    } catch (e) {
      this.logger.warn({ userId, type: input.type }, `realtime event not published: ${(e as Error).message}`);
    }
    if (input.email) void this.email(userId, input);
    return dto;
  }

  async list(userId: string, query: NotificationListQueryDto): Promise<NotificationListDto> {
    const limit = query.limit ?? 20;
    const cursor = decodeCursor(query.cursor, 'uuid');
    const qb = this.dataSource.getRepository(NotificationEntity).createQueryBuilder('n').where('n.user_id = :userId', { userId });
    if (query.unread === true) qb.andWhere('n.read_at IS NULL');
    if (query.unread === false) qb.andWhere('n.read_at IS NOT NULL');
    if (cursor) qb.andWhere('(n.created_at, n.id) < (:at, :id)', { at: cursor.createdAt, id: cursor.id });
    const rows = await qb.orderBy('n.created_at', 'DESC').addOrderBy('n.id', 'DESC').take(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM notifications WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    );
    return {
      items: page.map(toNotificationDto),
      nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.createdAt), last.id) : null,
      unreadCount: count,
    };
  }

  /** Marks one of the user's notifications read (idempotent); another user's is a 404. */
  async markRead(userId: string, id: string): Promise<NotificationDto> {
    await this.dataSource.query('UPDATE notifications SET read_at = now() WHERE id = $1 AND user_id = $2 AND read_at IS NULL', [id, userId]);
    const row = await this.dataSource.getRepository(NotificationEntity).findOneBy({ id, userId });
    if (!row) throw notFound('No such notification');
    return toNotificationDto(row);
  }

  async markAllRead(userId: string): Promise<MarkAllReadResponseDto> {
    // An UPDATE answers [rows, rowCount] through TypeORM.
    const [, updated] = await this.dataSource.query<[unknown[], number]>('UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL', [userId]);
    return { updated };
  }

  private async email(userId: string, input: NotifyInput): Promise<void> {
    try {
      const rows = await this.dataSource.query<{ email: string }[]>('SELECT email FROM users WHERE id = $1', [userId]);
      if (!rows[0]) return;
      await this.mail.send({ to: rows[0].email, subject: input.title, text: input.body });
    } catch (e) {
      this.logger.error({ userId, type: input.type }, `notification email failed: ${(e as Error).message}`);
    }
  }
}
