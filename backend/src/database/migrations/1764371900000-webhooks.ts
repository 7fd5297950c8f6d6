import type { MigrationInterface, QueryRunner } from 'typeorm';

const EVENT_TYPES = `ARRAY['order.filled', 'order.cancelled', 'deposit.credited', 'withdrawal.updated', 'alert.triggered']::text[]`;

/**
 * Outgoing webhooks (API.md "Webhooks", ARCHITECTURE.md "Outgoing webhooks"): an API key's endpoints (the URL, the
 * events it takes, its signing secret sealed with AES-256-GCM), the outbox of events (written in the transaction of
 * the change they report), one delivery per event and endpoint (the queue the delivery workers claim from, with its
 * retry schedule), and the log of every attempt. Additive only: code that predates it never reads these tables.
 */
export class Webhooks1764371900000 implements MigrationInterface {
  name = 'Webhooks1764371900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        api_key_id uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
        url varchar(2048) NOT NULL,
        events text[] NOT NULL CHECK (cardinality(events) > 0 AND events <@ ${EVENT_TYPES}),
        secret_sealed bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The outbox's one lookup in the transaction of every change it reports: the user's endpoints (usually none).
    await q.query(`CREATE INDEX webhook_endpoints_user ON webhook_endpoints (user_id)`);
    await q.query(`CREATE INDEX webhook_endpoints_key_created ON webhook_endpoints (api_key_id, created_at)`);

    await q.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type varchar(32) NOT NULL CHECK (type = ANY (${EVENT_TYPES})),
        data jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_events_user_created ON webhook_events (user_id, created_at)`);
    await q.query(`CREATE INDEX webhook_events_created ON webhook_events (created_at)`);

    await q.query(`
      CREATE TABLE webhook_deliveries (
        event_id uuid NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
        endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'stopped')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        retry_until timestamptz NOT NULL,
        claim_token uuid,
        last_status_code integer,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, endpoint_id),
        CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
      )`);
    // What the workers claim: pending deliveries by when they are due.
    await q.query(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id)`);

    await q.query(`
      CREATE TABLE webhook_delivery_attempts (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        endpoint_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        attempt integer NOT NULL CHECK (attempt > 0),
        attempted_at timestamptz NOT NULL,
        status_code integer,
        error varchar(32),
        response_snippet varchar(1024),
        duration_ms integer NOT NULL,
        next_retry_at timestamptz,
        FOREIGN KEY (event_id, endpoint_id) REFERENCES webhook_deliveries (event_id, endpoint_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX webhook_delivery_attempts_log ON webhook_delivery_attempts (endpoint_id, attempted_at DESC, id DESC)`);
    await q.query(`CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts (event_id, endpoint_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_delivery_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_events`);
    await q.query(`DROP TABLE webhook_endpoints`);
  }
}
