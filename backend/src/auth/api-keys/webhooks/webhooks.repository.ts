import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../../../database/rows';
import type { Tx } from '../../../database/unit-of-work';
import { LIVE_API_KEY_SQL } from '../api-keys.repository';
import type { WebhookDeliveryError, WebhookDeliveryStatus, WebhookEventType } from './webhook-events';

export interface WebhookEndpointRow {
  id: string;
  user_id: string;
  api_key_id: string;
  url: string;
  events: WebhookEventType[];
  created_at: Date;
}

/** An API key of the caller, and whether it still authenticates (not revoked, expired or superseded). */
export interface OwnKeyRow {
  id: string;
  live: boolean;
}

/** A delivery a worker claimed, with what it sends. */
export interface ClaimedDelivery {
  event_id: string;
  endpoint_id: string;
  user_id: string;
  /** Attempts made before this one. */
  attempts: number;
  url: string;
  secret_sealed: Buffer;
  type: WebhookEventType;
  data: Record<string, unknown>;
  event_created_at: Date;
}

/** One row of the delivery log, with its event's type and where its delivery stands now. */
export interface AttemptRow {
  id: string;
  event_id: string;
  type: WebhookEventType;
  attempt: number;
  attempted_at: Date;
  status_code: number | null;
  error: WebhookDeliveryError | null;
  response_snippet: string | null;
  duration_ms: number;
  next_retry_at: Date | null;
  delivery_status: WebhookDeliveryStatus;
}

/** What an attempt came to, as the worker records it. */
export interface AttemptResult {
  eventId: string;
  endpointId: string;
  claimToken: string;
  attemptedAt: Date;
  delivered: boolean;
  statusCode: number | null;
  error: WebhookDeliveryError | null;
  snippet: string | null;
  durationMs: number;
  /** The wait before the next attempt if this one failed (no retry is scheduled past the delivery's retry_until). */
  retryDelayMs: number;
}

const ENDPOINT_COLUMNS = 'w.id, w.user_id, w.api_key_id, w.url, w.events, w.created_at';

/**
 * A key that authenticates, of an owner who may use it (not suspended, not frozen): its endpoints get events (the
 * outbox) and deliveries (the worker). Over `webhook_endpoints w JOIN api_keys k … JOIN users u`.
 */
export const WEBHOOK_DELIVERS_SQL = `(${LIVE_API_KEY_SQL}) AND u.suspended_at IS NULL AND u.frozen_at IS NULL`;
const DELIVERS = WEBHOOK_DELIVERS_SQL;

/** The webhook tables (`webhook_endpoints`, `webhook_deliveries`, `webhook_delivery_attempts`; the outbox writes `webhook_events`). */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One endpoint creation per account at a time (the limits and the insert), on every instance, until `tx` ends. */
  async serialize(tx: Tx, userId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`webhooks:${userId}`]);
  }

  async findOwnKey(userId: string, keyId: string, tx?: Tx): Promise<OwnKeyRow | undefined> {
    const [row] = await (tx ?? this.dataSource).query<OwnKeyRow[]>(
      `SELECT k.id, (${LIVE_API_KEY_SQL}) AS live FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = $1 AND k.user_id = $2`,
      [keyId, userId],
    );
    return row;
  }

  /** The key's endpoints, and the account's over all its live keys (what the limits count). */
  async counts(tx: Tx, userId: string, keyId: string): Promise<{ key: number; user: number }> {
    const [row] = await tx.query<{ key: number; user: number }[]>(
      `SELECT count(*) FILTER (WHERE w.api_key_id = $2)::int AS key, count(*) FILTER (WHERE ${LIVE_API_KEY_SQL})::int AS user
         FROM webhook_endpoints w JOIN api_keys k ON k.id = w.api_key_id JOIN users u ON u.id = k.user_id
        WHERE w.user_id = $1`,
      [userId, keyId],
    );
    return row;
  }

  async insertEndpoint(
    tx: Tx,
    e: { id: string; userId: string; keyId: string; url: string; events: WebhookEventType[]; secretSealed: Buffer },
  ): Promise<WebhookEndpointRow> {
    const [row] = await tx.query<WebhookEndpointRow[]>(
      `INSERT INTO webhook_endpoints AS w (id, user_id, api_key_id, url, events, secret_sealed) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${ENDPOINT_COLUMNS}`,
      [e.id, e.userId, e.keyId, e.url, e.events, e.secretSealed],
    );
    return row;
  }

  /** The key's endpoints, newest first. */
  listEndpoints(userId: string, keyId: string): Promise<WebhookEndpointRow[]> {
    return this.dataSource.query<WebhookEndpointRow[]>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints w WHERE w.user_id = $1 AND w.api_key_id = $2 ORDER BY w.created_at DESC, w.id`,
      [userId, keyId],
    );
  }

  async findEndpoint(userId: string, keyId: string, id: string): Promise<WebhookEndpointRow | undefined> {
    const [row] = await this.dataSource.query<WebhookEndpointRow[]>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints w WHERE w.id = $1 AND w.user_id = $2 AND w.api_key_id = $3`,
      [id, userId, keyId],
    );
    return row;
  }

  /** Deletes the endpoint with its deliveries and their log (an attempt under way records nothing afterwards). */
  async deleteEndpoint(tx: Tx, userId: string, keyId: string, id: string): Promise<WebhookEndpointRow | undefined> {
    const [row] = await queryRows<WebhookEndpointRow>(
      tx,
      `DELETE FROM webhook_endpoints w WHERE w.id = $1 AND w.user_id = $2 AND w.api_key_id = $3 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, userId, keyId],
    );
    return row;
  }

  /** A freeze: deletes the user's endpoints made at or after `since` (with their deliveries and log); their ids. */
  async removeAddedSince(tx: Tx, userId: string, since: Date): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(tx, `DELETE FROM webhook_endpoints WHERE user_id = $1 AND created_at >= $2 RETURNING id`, [userId, since]);
    return rows.map((r) => r.id);
  }

  /** One page of the endpoint's delivery log, newest attempt first, after `cursor`. */
  attempts(endpointId: string, limit: number, cursor?: { createdAt: Date; id: string }): Promise<AttemptRow[]> {
    const params: unknown[] = [endpointId];
    const after = cursor ? `AND (a.attempted_at, a.id) < ($${params.push(cursor.createdAt)}, $${params.push(cursor.id)}::bigint)` : '';
    return this.dataSource.query<AttemptRow[]>(
      `SELECT a.id::text AS id, a.event_id, e.type, a.attempt, a.attempted_at, a.status_code, a.error, a.response_snippet, a.duration_ms,
              a.next_retry_at, d.status AS delivery_status
         FROM webhook_delivery_attempts a
         JOIN webhook_deliveries d ON d.event_id = a.event_id AND d.endpoint_id = a.endpoint_id
         JOIN webhook_events e ON e.id = a.event_id
        WHERE a.endpoint_id = $1 ${after}
        ORDER BY a.attempted_at DESC, a.id DESC
        LIMIT ${Number(limit)}`,
      params,
    );
  }

  /**
   * Queues one more attempt of the event to the endpoint, due now: a delivered, failed or stopped one becomes
   * pending again, with retries up to 24 hours after the event or, past that, this attempt alone. `in_flight` when a
   * worker is sending it right now (its claim unexpired), `cooldown` (with the wait left) when its last attempt was
   * less than `cooldownMs` ago: nothing changes. Undefined when there is no such delivery.
   */
  async redeliver(
    endpointId: string,
    eventId: string,
    cooldownMs: number,
  ): Promise<{ result: 'queued' | 'in_flight' } | { result: 'cooldown'; retryAfterMs: number } | undefined> {
    const [row] = await queryRows<{ found: number; queued: number; in_flight: boolean; wait_ms: number | null }>(
      this.dataSource,
      `WITH d AS (
         SELECT event_id, endpoint_id, (status = 'pending' AND claim_token IS NOT NULL AND next_attempt_at > now()) AS in_flight,
                (SELECT max(a.attempted_at) FROM webhook_delivery_attempts a WHERE a.event_id = x.event_id AND a.endpoint_id = x.endpoint_id)
                  + interval '1 millisecond' * $3::int - now() AS wait
           FROM webhook_deliveries x WHERE event_id = $1 AND endpoint_id = $2 FOR UPDATE
       ), q AS (
         UPDATE webhook_deliveries w SET status = 'pending', next_attempt_at = now(), retry_until = GREATEST(w.retry_until, now()), claim_token = NULL
           FROM d WHERE w.event_id = d.event_id AND w.endpoint_id = d.endpoint_id AND NOT d.in_flight AND (d.wait IS NULL OR d.wait <= interval '0')
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM d)::int AS found, (SELECT count(*) FROM q)::int AS queued,
              coalesce((SELECT in_flight FROM d), false) AS in_flight,
              (SELECT ceil(extract(epoch FROM wait) * 1000) FROM d WHERE wait > interval '0')::int AS wait_ms`,
      [eventId, endpointId, cooldownMs],
    );
    if (!row?.found) return undefined;
    if (row.queued) return { result: 'queued' };
    if (row.in_flight) return { result: 'in_flight' };
    return { result: 'cooldown', retryAfterMs: Math.max(1, Number(row.wait_ms ?? 1)) };
  }

  /**
   * Claims up to `limit` deliveries that are due, for `claimMs`, in one statement: at most one per endpoint at a
   * time (an endpoint with a live claim, on any instance, gets none: a receiver that hangs holds one lane, never a
   * round), at most `perUser` of one account's, oldest due first. `FOR UPDATE SKIP LOCKED`, so two workers never take
   * the same one, and the claim is the due time moved on (`next_attempt_at`), so a worker that died holding one lets
   * another take it when the claim runs out. Due deliveries whose key no longer authenticates (or whose owner is
   * suspended or frozen) are `stopped` instead, up to `limit` of them. The statement commits by itself: no connection
   * is held while the requests go out.
   */
  claimDue(limit: number, claimMs: number, token: string, perUser: number): Promise<ClaimedDelivery[]> {
    return queryRows<ClaimedDelivery>(
      this.dataSource,
      `WITH first_due AS (
         SELECT DISTINCT ON (d.endpoint_id) d.event_id, d.endpoint_id, d.user_id, d.next_attempt_at
           FROM webhook_deliveries d
           JOIN webhook_endpoints w ON w.id = d.endpoint_id
           JOIN api_keys k ON k.id = w.api_key_id
           JOIN users u ON u.id = k.user_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND (${DELIVERS})
            AND NOT EXISTS (
              SELECT 1 FROM webhook_deliveries x
               WHERE x.endpoint_id = d.endpoint_id AND x.status = 'pending' AND x.claim_token IS NOT NULL AND x.next_attempt_at > now())
          ORDER BY d.endpoint_id, d.next_attempt_at, d.event_id
       ), picked AS (
         SELECT r.event_id, r.endpoint_id FROM (
           SELECT f.*, row_number() OVER (PARTITION BY f.user_id ORDER BY f.next_attempt_at, f.event_id) AS nth FROM first_due f
         ) r
          WHERE r.nth <= $4::int
          ORDER BY r.next_attempt_at, r.event_id
          LIMIT $1
       ), due AS (
         SELECT d.event_id, d.endpoint_id
           FROM webhook_deliveries d JOIN picked p ON p.event_id = d.event_id AND p.endpoint_id = d.endpoint_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now()
          FOR UPDATE OF d SKIP LOCKED
       ), dead AS (
         SELECT d.event_id, d.endpoint_id
           FROM webhook_deliveries d
           JOIN webhook_endpoints w ON w.id = d.endpoint_id
           JOIN api_keys k ON k.id = w.api_key_id
           JOIN users u ON u.id = k.user_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND NOT (${DELIVERS})
          LIMIT $1
          FOR UPDATE OF d SKIP LOCKED
       ), stopped AS (
         UPDATE webhook_deliveries d SET status = 'stopped', next_attempt_at = NULL, claim_token = NULL
           FROM dead WHERE d.event_id = dead.event_id AND d.endpoint_id = dead.endpoint_id
         RETURNING 1
       ), claimed AS (
         UPDATE webhook_deliveries d SET next_attempt_at = now() + interval '1 millisecond' * $2::int, claim_token = $3::uuid
           FROM due WHERE d.event_id = due.event_id AND d.endpoint_id = due.endpoint_id
         RETURNING d.event_id, d.endpoint_id, d.user_id, d.attempts
       )
       SELECT c.event_id, c.endpoint_id, c.user_id, c.attempts, w.url, w.secret_sealed, e.type, e.data, e.created_at AS event_created_at
         FROM claimed c JOIN webhook_endpoints w ON w.id = c.endpoint_id JOIN webhook_events e ON e.id = c.event_id`,
      [limit, claimMs, token, perUser],
    );
  }

  /**
   * Records an attempt under its claim, in one statement: the delivery's count, state and next attempt (delivered;
   * else pending again after the delay, or failed for good when that would be past its retry_until), and the log row.
   * Nothing when the claim is no longer this worker's (the endpoint was deleted meanwhile). The log row's
   * `next_retry_at`, or undefined.
   */
  async recordAttempt(r: AttemptResult): Promise<{ attempt: number; next_retry_at: Date | null } | undefined> {
    const [row] = await queryRows<{ attempt: number; next_retry_at: Date | null }>(
      this.dataSource,
      `WITH d AS (
         UPDATE webhook_deliveries SET
           attempts = attempts + 1,
           status = CASE WHEN $4::boolean THEN 'delivered' WHEN now() + interval '1 millisecond' * $9::int > retry_until THEN 'failed' ELSE 'pending' END,
           next_attempt_at = CASE WHEN $4::boolean OR now() + interval '1 millisecond' * $9::int > retry_until THEN NULL
                                  ELSE now() + interval '1 millisecond' * $9::int END,
           claim_token = NULL,
           last_status_code = $5::int,
           delivered_at = CASE WHEN $4::boolean THEN now() ELSE delivered_at END
         WHERE event_id = $1 AND endpoint_id = $2 AND claim_token = $3::uuid
         RETURNING event_id, endpoint_id, user_id, attempts, next_attempt_at
       )
       INSERT INTO webhook_delivery_attempts (event_id, endpoint_id, user_id, attempt, attempted_at, status_code, error, response_snippet, duration_ms, next_retry_at)
       SELECT d.event_id, d.endpoint_id, d.user_id, d.attempts, $10::timestamptz, $5::int, $6::varchar, $7::varchar, $8::int, d.next_attempt_at FROM d
       RETURNING attempt, next_retry_at`,
      [
        r.eventId,
        r.endpointId,
        r.claimToken,
        r.delivered,
        r.statusCode,
        r.error,
        r.snippet,
        Math.round(r.durationMs),
        Math.round(r.retryDelayMs),
        r.attemptedAt,
      ],
    );
    return row;
  }

  /** Deletes up to `limit` events older than `days` with nothing pending (their deliveries and log go with them). */
  async prune(days: number, limit: number): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `DELETE FROM webhook_events WHERE id IN (
         SELECT e.id FROM webhook_events e
          WHERE e.created_at < now() - make_interval(days => $1::int)
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')
          LIMIT $2::int)
       RETURNING id`,
      [days, limit],
    );
    return rows.length;
  }
}
