import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AlertCondition, AlertKind } from '../alert-rules';

/** A price alert. Never returned as is: responses go through `toAlertDto`. */
@Entity('alerts')
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  symbol: string;

  /** `price` (fires at a price) or `move` (fires at a 24 h change in percent). */
  @Column({ type: 'varchar', length: 8, default: 'price' })
  kind: AlertKind;

  @Column({ type: 'varchar', length: 8 })
  condition: AlertCondition;

  /** The target of a price alert; a move alert stores 0.00000001 here (migration 1764371350000 says why). */
  @Column({ name: 'target_price', type: 'numeric', precision: 30, scale: 8 })
  targetPrice: string;

  /** A move alert's threshold: the 24 h change in percent (up or down by this much). */
  @Column({ name: 'move_pct', type: 'numeric', precision: 10, scale: 2, nullable: true })
  movePct: string | null;

  /** Null: fires once. Set: stays armed when it fires and may fire again once this many seconds passed. */
  @Column({ name: 'cooldown_seconds', type: 'integer', nullable: true })
  cooldownSeconds: number | null;

  /** A repeating alert that fired waits until then before it may fire again. */
  @Column({ name: 'rearm_at', type: 'timestamptz', nullable: true })
  rearmAt: Date | null;

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

  @Column({ name: 'triggered_change', type: 'numeric', precision: 14, scale: 4, nullable: true })
  triggeredChange: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
