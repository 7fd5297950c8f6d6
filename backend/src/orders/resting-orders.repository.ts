import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** An open limit or stop order as the trigger engine needs it. */
export interface RestingOrderRow {
  id: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: 'limit' | 'stop';
  limit_price: string | null;
  stop_price: string | null;
}

/** The open resting orders (the `orders` table is owned by the orders module; this is its query for the trigger book). */
@Injectable()
export class RestingOrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  open(): Promise<RestingOrderRow[]> {
    return this.dataSource.query<RestingOrderRow[]>(
      `SELECT id, symbol, side, type, limit_price, stop_price FROM orders WHERE status = 'open' AND type IN ('limit', 'stop')`,
    );
  }
}
