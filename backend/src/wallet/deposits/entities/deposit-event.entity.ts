import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only history of every verified IPN and status change of a deposit, including the ones refused or ignored. */
@Entity('deposit_events')
export class DepositEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'deposit_id', type: 'uuid', nullable: true })
  depositId: string | null;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ name: 'provider_payment_id', type: 'varchar', length: 64, nullable: true })
  providerPaymentId: string | null;

  @Column({ name: 'order_id', type: 'varchar', length: 100, nullable: true })
  orderId: string | null;

  @Column({ type: 'varchar', length: 20 })
  status: string;

  /** What we did with it: recorded, credited, duplicate, unknown_order, mismatch, stale, expired, held (paid for a closed account). */
  @Column({ type: 'varchar', length: 20 })
  outcome: string;

  @Column({ type: 'jsonb', default: {} })
  payload: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
