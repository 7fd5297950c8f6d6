import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { notFound, unprocessable } from '../common/errors/app-error';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { inTransaction } from '../database/transaction';
import { PUB_SUB, type PubSub } from '../redis/redis.interfaces';
import { MAX_ACTIVE_ALERTS } from './alert-rules';
import { ALERTS_CHANGED_CHANNEL, AlertRow, toAlertDto } from './alert.mapper';
import { AlertDto, AlertListDto, AlertListQueryDto, CreateAlertDto, UpdateAlertDto } from './dto/alert.dto';

/** Price alerts: CRUD with the per-user limit of armed alerts. Firing lives in AlertTriggerService. */
@Injectable()
export class AlertsService {
  private readonly logger = new Logger('Alerts');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
  ) {}

  async list(userId: string, query: AlertListQueryDto): Promise<AlertListDto> {
    const limit = query.limit ?? 20;
    const cursor = decodeCursor(query.cursor, 'uuid');
    const where = ['user_id = $1'];
    const params: unknown[] = [userId];
    if (query.active !== undefined) where.push(`active = $${params.push(query.active)}`);
    if (query.symbol) where.push(`symbol = $${params.push(query.symbol)}`);
    if (cursor) where.push(`(created_at, id) < ($${params.push(cursor.createdAt)}, $${params.push(cursor.id)})`);
    const rows = await this.dataSource.query<AlertRow[]>(
      `SELECT * FROM alerts WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toAlertDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  async get(userId: string, id: string): Promise<AlertDto> {
    const [row] = await this.dataSource.query<AlertRow[]>('SELECT * FROM alerts WHERE id = $1 AND user_id = $2', [id, userId]);
    if (!row) throw notFound('No such alert');
    return toAlertDto(row);
  }

  async create(userId: string, dto: CreateAlertDto): Promise<AlertDto> {
    if (!this.quotes.isKnown(dto.symbol)) throw unprocessable('UNKNOWN_ASSET', `${dto.symbol} is not a listed asset`);
    const row = await inTransaction(this.dataSource, async (em) => {
      await this.assertRoomForOneMore(em, userId);
      const [inserted] = await em.query<AlertRow[]>(
        `INSERT INTO alerts (user_id, symbol, condition, target_price, notify_email, notify_push)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [userId, dto.symbol, dto.condition, dto.targetPrice, dto.notifyEmail ?? false, dto.notifyPush ?? true],
      );
      return inserted;
    });
    await this.announce(row.id);
    return toAlertDto(row);
  }

  /**
   * Changes an alert. `active: true`, or a new target or condition without
   * `active: false`, re-arms it (clearing when it last fired), within the limit.
   */
  async update(userId: string, id: string, dto: UpdateAlertDto): Promise<AlertDto> {
    const row = await inTransaction(this.dataSource, async (em) => {
      // The user row first, then the alert: the same lock order as create.
      await em.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
      const [current] = await em.query<AlertRow[]>('SELECT * FROM alerts WHERE id = $1 AND user_id = $2 FOR UPDATE', [id, userId]);
      if (!current) throw notFound('No such alert');
      const retargeted = dto.targetPrice !== undefined || dto.condition !== undefined;
      const active = dto.active ?? (retargeted ? true : current.active);
      const rearm = active && (!current.active || retargeted);
      if (active && !current.active) await this.assertRoomForOneMore(em, userId);
      const [[updated]] = await em.query<[AlertRow[], number]>(
        `UPDATE alerts SET
           condition = COALESCE($3, condition),
           target_price = COALESCE($4::numeric, target_price),
           notify_email = COALESCE($5, notify_email),
           notify_push = COALESCE($6, notify_push),
           active = $7,
           triggered_at = CASE WHEN $8 THEN NULL ELSE triggered_at END,
           triggered_price = CASE WHEN $8 THEN NULL ELSE triggered_price END,
           updated_at = now()
         WHERE id = $1 AND user_id = $2 RETURNING *`,
        [id, userId, dto.condition ?? null, dto.targetPrice ?? null, dto.notifyEmail ?? null, dto.notifyPush ?? null, active, rearm],
      );
      return updated;
    });
    await this.announce(row.id);
    return toAlertDto(row);
  }

  async remove(userId: string, id: string): Promise<void> {
    const [rows] = await this.dataSource.query<[{ id: string }[], number]>('DELETE FROM alerts WHERE id = $1 AND user_id = $2 RETURNING id', [id, userId]);
    if (!rows.length) throw notFound('No such alert');
    await this.announce(id);
  }

  /** Serialises a user's alert changes on the user row, then counts the armed ones. */
  private async assertRoomForOneMore(em: EntityManager, userId: string): Promise<void> {
    await em.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
    const [{ count }] = await em.query<{ count: number }[]>('SELECT count(*)::int AS count FROM alerts WHERE user_id = $1 AND active', [userId]);
    if (count >= MAX_ACTIVE_ALERTS) {
      throw unprocessable('LIMIT_EXCEEDED', `At most ${MAX_ACTIVE_ALERTS} alerts can be active at once; pause or delete one first`);
    }
  }

  /** Every instance's trigger engine reloads the alert (a missed message is healed by the periodic resync). */
  private async announce(id: string): Promise<void> {
    try {
      await this.pubsub.publish(ALERTS_CHANGED_CHANNEL, id);
    } catch (e) {
      this.logger.warn(`alert change not announced (the resync will catch up): ${(e as Error).message}`);
    }
  }
}
