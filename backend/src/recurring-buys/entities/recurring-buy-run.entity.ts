import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RecurringRunStatus } from '../recurring-periods';

/** One period of a recurring buy that ran (claimed once per period by UNIQUE (recurring_buy_id, period_start)). */
@Entity('recurring_buy_runs')
export class RecurringBuyRunEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'recurring_buy_id', type: 'uuid' })
  recurringBuyId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'period_start', type: 'timestamptz' })
  periodStart: Date;

  @Column({ type: 'varchar', length: 8 })
  status: RecurringRunStatus;

  @Column({ type: 'integer' })
  attempts: number;

  /** The attempt whose Idempotency-Key the next attempt reuses (its order's outcome unknown or not stored); null: its own. */
  @Column({ name: 'order_key_attempt', type: 'integer', nullable: true })
  orderKeyAttempt: number | null;

  @Column({ name: 'retry_at', type: 'timestamptz', nullable: true })
  retryAt: Date | null;

  @Column({ name: 'order_id', type: 'uuid', nullable: true })
  orderId: string | null;

  @Column({ type: 'numeric', precision: 38, scale: 18, nullable: true })
  quantity: string | null;

  @Column({ type: 'numeric', precision: 38, scale: 18, nullable: true })
  price: string | null;

  @Column({ type: 'numeric', precision: 38, scale: 18, nullable: true })
  fee: string | null;

  @Column({ name: 'quote_amount', type: 'numeric', precision: 38, scale: 18, nullable: true })
  quoteAmount: string | null;

  @Column({ name: 'reason_code', type: 'varchar', length: 32, nullable: true })
  reasonCode: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
