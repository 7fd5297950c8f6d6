import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The delivery log: one row per attempt, with the answer (status and a short snippet) or why there was none. */
@Entity('webhook_delivery_attempts')
export class WebhookDeliveryAttemptEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'integer' })
  attempt: number;

  @Column({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt: Date;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  /** Why no HTTP answer came (`timeout`, `connection_failed`, …); null when one did. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  error: string | null;

  /** At most 1,024 characters of the response body. */
  @Column({ name: 'response_snippet', type: 'varchar', length: 1024, nullable: true })
  responseSnippet: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ name: 'next_retry_at', type: 'timestamptz', nullable: true })
  nextRetryAt: Date | null;
}
