import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user's weighted average cost of one asset bought here, and the P&L realised by selling it. Owned by orders. */
@Entity('position_costs')
export class PositionCostEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @PrimaryColumn({ name: 'asset', type: 'varchar', length: 16 }) asset: string;
  @Column({ name: 'quantity', type: 'numeric', precision: 38, scale: 18, default: 0 }) quantity: string;
  @Column({ name: 'cost', type: 'numeric', precision: 38, scale: 18, default: 0 }) cost: string;
  @Column({ name: 'realized_pnl', type: 'numeric', precision: 38, scale: 18, default: 0 }) realizedPnl: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
