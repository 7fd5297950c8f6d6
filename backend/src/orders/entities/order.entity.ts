import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OrderSide, OrderSizing, OrderStatus, OrderType } from '../dto/order.dto';

@Entity('orders')
export class OrderEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' }) id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'symbol', type: 'varchar', length: 16 }) symbol: string;
  @Column({ name: 'side', type: 'varchar', length: 4 }) side: OrderSide;
  @Column({ name: 'type', type: 'varchar', length: 8 }) type: OrderType;
  @Column({ name: 'status', type: 'varchar', length: 12 }) status: OrderStatus;
  @Column({ name: 'quantity', type: 'numeric', precision: 38, scale: 18 }) quantity: string;
  @Column({ name: 'quote_amount', type: 'numeric', precision: 38, scale: 18, nullable: true }) quoteAmount: string | null;
  @Column({ name: 'limit_price', type: 'numeric', precision: 38, scale: 18, nullable: true }) limitPrice: string | null;
  @Column({ name: 'stop_price', type: 'numeric', precision: 38, scale: 18, nullable: true }) stopPrice: string | null;
  @Column({ name: 'filled_price', type: 'numeric', precision: 38, scale: 18, nullable: true }) filledPrice: string | null;
  @Column({ name: 'fee', type: 'numeric', precision: 38, scale: 18, nullable: true }) fee: string | null;
  @Column({ name: 'fee_asset', type: 'varchar', length: 16 }) feeAsset: string;
  @Column({ name: 'reserved_asset', type: 'varchar', length: 16, nullable: true }) reservedAsset: string | null;
  @Column({ name: 'reserved_amount', type: 'numeric', precision: 38, scale: 18 }) reservedAmount: string;
  /** What sets the quantity: `quoteAmount` for a stop buy by USD amount (set at the fill from `reservedAmount`), else `quantity`. */
  @Column({ name: 'sized_by', type: 'varchar', length: 12 }) sizedBy: OrderSizing;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'filled_at', type: 'timestamptz', nullable: true }) filledAt: Date | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
}
