import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertCondition } from '../alert-rules';

/** A price alert. Never returned as is: responses go through `toAlertDto`. */
@Entity('alerts')
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  symbol: string;

  @Column({ type: 'varchar', length: 8 })
  condition: AlertCondition;

  @Column({ name: 'target_price', type: 'numeric', precision: 30, scale: 8 })
  targetPrice: string;

  @Column({ name: 'notify_email', type: 'boolean', default: false })
  notifyEmail: boolean;

  @Column({ name: 'notify_push', type: 'boolean', default: true })
  notifyPush: boolean;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'triggered_at', type: 'timestamptz', nullable: true })
  triggeredAt: Date | null;

  @Column({ name: 'triggered_price', type: 'numeric', precision: 30, scale: 8, nullable: true })
  triggeredPrice: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
