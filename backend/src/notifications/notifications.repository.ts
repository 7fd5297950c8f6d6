import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';

/** A `notifications` row. */
export interface NotificationRow {
  id: string;
  user_id: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
}

export interface NewNotification {
  userId: string;
  type: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

/** One page of a user's notifications: `read` filters on read state; `before` is a keyset position (created_at, id). */
export interface NotificationPageFilter {
  userId: string;
  read?: boolean;
  before?: { createdAt: Date; id: string };
  limit: number;
}

const COLUMNS = 'id, user_id, type, title, body, data, read_at, created_at';

/** The `notifications` table (in-app notifications; owned by the notifications module). */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(n: NewNotification): Promise<NotificationRow> {
    const [row] = await this.dataSource.query<NotificationRow[]>(
      `INSERT INTO notifications (user_id, type, title, body, data) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [n.userId, n.type, n.title, n.body, JSON.stringify(n.data)],
    );
    return row;
  }

  /** Newest first. */
  page(filter: NotificationPageFilter): Promise<NotificationRow[]> {
    const where = ['user_id = $1'];
    const params: unknown[] = [filter.userId];
    if (filter.read === false) where.push('read_at IS NULL');
    if (filter.read === true) where.push('read_at IS NOT NULL');
    if (filter.before) where.push(`(created_at, id) < ($${params.push(filter.before.createdAt)}, $${params.push(filter.before.id)}::uuid)`);
    return this.dataSource.query<NotificationRow[]>(
      `SELECT ${COLUMNS} FROM notifications WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
  }

  async unreadCount(userId: string): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM notifications WHERE user_id = $1 AND read_at IS NULL',
      [userId],
    );
    return count;
  }

  /** Marks one of the user's notifications read (a read one keeps its read_at); undefined when the user has no such notification. */
  async markRead(userId: string, id: string): Promise<NotificationRow | undefined> {
    const [row] = await queryRows<NotificationRow>(
      this.dataSource,
      `WITH marked AS (
         UPDATE notifications SET read_at = now() WHERE id = $1 AND user_id = $2 AND read_at IS NULL RETURNING ${COLUMNS}
       )
       SELECT ${COLUMNS} FROM marked
       UNION ALL
       SELECT ${COLUMNS} FROM notifications WHERE id = $1 AND user_id = $2 AND NOT EXISTS (SELECT 1 FROM marked)`,
      [id, userId],
    );
    return row;
  }

  /** How many of the user's unread notifications it marked read. */
  async markAllRead(userId: string): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      'UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING id',
      [userId],
    );
    return rows.length;
  }
}
