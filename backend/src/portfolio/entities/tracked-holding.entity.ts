import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A holding the user keeps elsewhere and tracks here (never part of the ledger). */
@Entity('tracked_holdings')
export class TrackedHoldingEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' }) userId: string;
  @PrimaryColumn({ name: 'symbol', type: 'varchar', length: 16 }) symbol: string;
  @Column({ name: 'amount', type: 'numeric', precision: 38, scale: 18 }) amount: string;
  @Column({ name: 'avg_cost', type: 'numeric', precision: 38, scale: 18, nullable: true }) avgCost: string | null;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
