import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One dated purchase of a tracked holding: when, how much, at what USD cost per unit (null: unknown). */
@Entity('tracked_holding_lots')
export class TrackedHoldingLotEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid' }) id: string;
  @Column({ name: 'user_id', type: 'uuid' }) userId: string;
  @Column({ name: 'symbol', type: 'varchar', length: 16 }) symbol: string;
  @Column({ name: 'acquired_at', type: 'timestamptz' }) acquiredAt: Date;
  @Column({ name: 'quantity', type: 'numeric', precision: 38, scale: 18 }) quantity: string;
  @Column({ name: 'unit_cost', type: 'numeric', precision: 38, scale: 18, nullable: true }) unitCost: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
