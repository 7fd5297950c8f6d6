import { Injectable } from '@nestjs/common';
import type { OrderEntity } from './entities/order.entity';
import { type AdminOrderFilter, OrdersAdminReaderRepository, type TradeVolumeRow } from './orders-admin-reader.repository';

export type { AdminOrderFilter, TradeVolumeRow };

/** What the back office may read of orders: the 24-hour trade figures and every user's orders. */
@Injectable()
export class OrdersAdminReader {
  constructor(private readonly repo: OrdersAdminReaderRepository) {}

  /** Filled trades of the last 24 hours; null when this deployment has no orders table. */
  async filledLast24h(): Promise<TradeVolumeRow | null> {
    return (await this.repo.present()) ? this.repo.filledLast24h() : null;
  }

  /** Every user's orders, newest first, filtered. */
  page(filter: AdminOrderFilter): Promise<OrderEntity[]> {
    return this.repo.page(filter);
  }
}
