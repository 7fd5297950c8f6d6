import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RecurringBuyStatus, RecurringFrequency } from '../recurring-periods';

/** A recurring buy: a USD amount of one asset bought every period. Never returned as is: responses go through `toRecurringBuyDto`. */
@Entity('recurring_buys')
export class RecurringBuyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  symbol: string;

  @Column({ name: 'quote_amount', type: 'numeric', precision: 30, scale: 8 })
  quoteAmount: string;

  @Column({ type: 'varchar', length: 8 })
  frequency: RecurringFrequency;

  @Column({ type: 'varchar', length: 8 })
  status: RecurringBuyStatus;

  @Column({ name: 'start_at', type: 'timestamptz' })
  startAt: Date;

  @Column({ name: 'next_run_at', type: 'timestamptz', nullable: true })
  nextRunAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true })
  pausedAt: Date | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;
}
