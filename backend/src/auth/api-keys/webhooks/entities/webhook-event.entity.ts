import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The outbox: an event about a user's account, written in the transaction of the change it reports. */
@Entity('webhook_events')
export class WebhookEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  /** The object as the REST API shows it (an order, deposit, withdrawal or alert). */
  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
