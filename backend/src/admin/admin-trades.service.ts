import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { orderFromRow, toOrderDto } from '../orders/order.mapper';
import { AdminTradeListDto, AdminTradeQueryDto } from './dto/admin-back-office.dto';

/** Every user's orders for the back office, newest first, with filters. */
@Injectable()
export class AdminTradesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(query: AdminTradeQueryDto): Promise<AdminTradeListDto> {
    const limit = query.limit ?? 20;
    const cursor = decodeCursor(query.cursor, 'uuid');
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.userId) where.push(`o.user_id = $${params.push(query.userId)}`);
    if (query.symbol) where.push(`o.symbol = $${params.push(query.symbol)}`);
    if (query.status) where.push(`o.status = $${params.push(query.status)}`);
    if (query.side) where.push(`o.side = $${params.push(query.side)}`);
    if (query.type) where.push(`o.type = $${params.push(query.type)}`);
    if (query.from) where.push(`o.created_at >= $${params.push(query.from)}`);
    if (query.to) where.push(`o.created_at < $${params.push(query.to)}`);
    if (cursor) where.push(`(o.created_at, o.id) < ($${params.push(cursor.createdAt)}, $${params.push(cursor.id)}::uuid)`);
    const rows = await this.dataSource.query<(Record<string, unknown> & { user_email: string })[]>(
      `SELECT o.*, u.email AS user_email FROM orders o JOIN users u ON u.id = o.user_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY o.created_at DESC, o.id DESC LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const items = page.map((r) => {
      const order = orderFromRow(r);
      return { ...toOrderDto(order), userId: order.userId, userEmail: r.user_email };
    });
    const last = page.length ? orderFromRow(page[page.length - 1]) : undefined;
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.createdAt), last.id) : null };
  }
}
