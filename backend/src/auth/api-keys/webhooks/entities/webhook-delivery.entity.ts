import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One event to one endpoint: the queue the delivery workers claim from (FOR UPDATE SKIP LOCKED), with its retries. */
@Entity('webhook_deliveries')
export class WebhookDeliveryEntity {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @PrimaryColumn({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** `pending`, `delivered`, `failed`, `stopped`. */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'integer' })
  attempts: number;

  /** When the next attempt is due (while a worker holds it: when its claim runs out); null unless pending. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;

  /** No retry is scheduled after this (24 hours after the event, or a redelivery's time). */
  @Column({ name: 'retry_until', type: 'timestamptz' })
  retryUntil: Date;

  /** The claim of the worker sending it now; its result is recorded only under the same claim. */
  @Column({ name: 'claim_token', type: 'uuid', nullable: true })
  claimToken: string | null;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
