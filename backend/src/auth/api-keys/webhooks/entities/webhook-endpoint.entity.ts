import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An endpoint of an API key: where its owner's events go (auth/api-keys/webhooks, WebhooksRepository). */
@Entity('webhook_endpoints')
export class WebhookEndpointEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'api_key_id', type: 'uuid' })
  apiKeyId: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** The event types it takes (`order.filled`, …). */
  @Column({ type: 'text', array: true })
  events: string[];

  /** The signing secret, sealed with AES-256-GCM under WEBHOOK_SECRET_KEY (WebhookSecretBox); never shown again. */
  @Column({ name: 'secret_sealed', type: 'bytea' })
  secretSealed: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
