import { Injectable } from '@nestjs/common';
import { UsersReader } from '../auth/users/users.reader';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { toOrderDto } from '../orders/order.mapper';
import { OrdersAdminReader } from '../orders/orders-admin.reader';
import { AdminTradeListDto, AdminTradeQueryDto } from './dto/admin-back-office.dto';

/** Every user's orders for the back office, newest first, with filters. */
@Injectable()
export class AdminTradesService {
  constructor(
    private readonly orders: OrdersAdminReader,
    private readonly users: UsersReader,
  ) {}

  async list(query: AdminTradeQueryDto): Promise<AdminTradeListDto> {
    const limit = query.limit ?? 20;
    const cursor = decodeCursor(query.cursor, 'uuid');
    const rows = await this.orders.page({
      userId: query.userId,
      symbol: query.symbol,
      status: query.status,
      side: query.side,
      type: query.type,
      from: query.from,
      to: query.to,
      before: cursor,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const emails = await this.users.emails(page.map((o) => o.userId));
    // An order always has its account (orders.user_id references users).
    const items = page.filter((o) => emails.has(o.userId)).map((o) => ({ ...toOrderDto(o), userId: o.userId, userEmail: emails.get(o.userId) as string }));
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.createdAt), last.id) : null };
  }
}
