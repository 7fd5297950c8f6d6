import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';
import type { Tx } from '../database/unit-of-work';

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

  /** One notification; in `tx` when given (it then commits with the change it reports). */
  async insert(n: NewNotification, tx?: Tx): Promise<NotificationRow> {
    const [row] = await this.insertMany([n], tx);
    return row;
  }

  /** Several notifications in one statement, returned in the order given; in `tx` when given. */
  async insertMany(ns: NewNotification[], tx?: Tx): Promise<NotificationRow[]> {
    if (!ns.length) return [];
    // The ids are made here, so each row returned is matched to its input whatever order RETURNING gives.
    const ids = ns.map(() => randomUUID());
    const rows = await queryRows<NotificationRow>(
      tx ?? this.dataSource,
      `INSERT INTO notifications (id, user_id, type, title, body, data)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
       RETURNING ${COLUMNS}`,
      [ids, ns.map((n) => n.userId), ns.map((n) => n.type), ns.map((n) => n.title), ns.map((n) => n.body), ns.map((n) => JSON.stringify(n.data))],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)!);
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
