import { Injectable, Logger } from '@nestjs/common';
import { UsersReader } from '../auth/users/users.reader';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import type { Tx } from '../database/unit-of-work';
import { notFound } from '../common/errors/app-error';
import { MarkAllReadResponseDto, NotificationDto, NotificationListDto, NotificationListQueryDto } from './dto/notification.dto';
import { MailService } from './mail.service';
import { NotificationRow, NotificationsRepository } from './notifications.repository';
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

/** A notification stored (see NotificationsService.stage) and not yet delivered. */
export interface StagedNotification {
  userId: string;
  input: NotifyInput;
  notification: NotificationDto;
}

export function toNotificationDto(n: NotificationRow): NotificationDto {
  return {
    id: n.id,
    type: n.type as UserEventType,
    title: n.title,
    body: n.body,
    data: n.data ?? {},
    read: n.read_at !== null,
    readAt: n.read_at ? new Date(n.read_at).toISOString() : null,
    createdAt: new Date(n.created_at).toISOString(),
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
    private readonly repo: NotificationsRepository,
    private readonly users: UsersReader,
    private readonly events: UserEventsService,
    private readonly mail: MailService,
  ) {}

  /**
   * Stores and delivers one notification. Only the insert can fail the call:
   * a Redis or SMTP failure is logged (the notification stays in the list).
   * The email is sent in the background.
   */
  async notify(userId: string, input: NotifyInput): Promise<NotificationDto> {
    const [staged] = await this.stage(undefined, [{ userId, input }]);
    await this.deliver(staged);
    return staged.notification;
  }

  /**
   * Stores notifications in the transaction of the change they report (one statement), so they commit with it and
   * cost no round trip of their own; hand the result to `deliver` after the commit. Without `tx`, on their own.
   */
  async stage(tx: Tx | undefined, items: { userId: string; input: NotifyInput }[]): Promise<StagedNotification[]> {
    const rows = await this.repo.insertMany(
      items.map(({ userId, input }) => ({ userId, type: input.type, title: input.title, body: input.body, data: input.data ?? {} })),
      tx,
    );
    return rows.map((row, i) => ({ userId: items[i].userId, input: items[i].input, notification: toNotificationDto(row) }));
  }

  /** Pushes a stored notification to the user's sockets on every instance (and emails it when asked); never throws. */
  async deliver(staged: StagedNotification): Promise<void> {
    const { userId, input, notification: dto } = staged;
    try {
      await this.events.publish(userId, { type: input.type, data: dto.data, notification: dto, timestamp: dto.createdAt });
    } catch (e) {
      this.logger.warn({ userId, type: input.type }, `realtime event not published: ${(e as Error).message}`);
    }
    if (input.email) void this.email(userId, input);
  }

  async list(userId: string, query: NotificationListQueryDto): Promise<NotificationListDto> {
    const limit = query.limit ?? 20;
    const cursor = decodeCursor(query.cursor, 'uuid');
    const read = query.unread === undefined ? undefined : !query.unread;
    const rows = await this.repo.page({ userId, read, before: cursor, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toNotificationDto),
      nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null,
      unreadCount: await this.repo.unreadCount(userId),
    };
  }

  /** Marks one of the user's notifications read (idempotent); another user's is a 404. */
  async markRead(userId: string, id: string): Promise<NotificationDto> {
    const row = await this.repo.markRead(userId, id);
    if (!row) throw notFound('No such notification');
    return toNotificationDto(row);
  }

  async markAllRead(userId: string): Promise<MarkAllReadResponseDto> {
    return { updated: await this.repo.markAllRead(userId) };
  }

  private async email(userId: string, input: NotifyInput): Promise<void> {
    try {
      const to = await this.users.email(userId);
      if (!to) return;
      await this.mail.send({ to, subject: input.title, text: input.body });
    } catch (e) {
      this.logger.error({ userId, type: input.type }, `notification email failed: ${(e as Error).message}`);
    }
  }
}
