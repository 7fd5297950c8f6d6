import { Injectable } from '@nestjs/common';
import type { Tx } from '../../../database/unit-of-work';
import { StatementPart, statementPart } from '../../../ledger/statement-parts';
import { WEBHOOK_RETRY_WINDOW_MS, type WebhookEventType } from './webhook-events';
import { WEBHOOK_DELIVERS_SQL } from './webhooks.repository';

/**
 * The endpoints that take a new event of a type: the user's, subscribed to it, whose key still authenticates (not
 * revoked, expired or superseded by a password reset, suspension or closure) and whose owner is neither suspended nor frozen: the
 * worker's own condition (WEBHOOK_DELIVERS_SQL), so nothing is written that would only be stopped. `$user` and `$type`
 * are placeholders the caller binds. One indexed lookup (webhook_endpoints_user), empty for nearly every user.
 */
const SUBSCRIBED = (user: string, type: string): string => `
  SELECT w.id, w.user_id FROM webhook_endpoints w JOIN api_keys k ON k.id = w.api_key_id JOIN users u ON u.id = k.user_id
   WHERE w.user_id = ANY (${user}) AND ${type} = ANY (w.events) AND (${WEBHOOK_DELIVERS_SQL})`;

/** now() as JavaScript's toISOString writes it (UTC, milliseconds): the times of an order posted in the same statement. */
const NOW_ISO = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const WINDOW_SECONDS = WEBHOOK_RETRY_WINDOW_MS / 1000;

/** The outbox's writes (`webhook_events` and their `webhook_deliveries`), always inside the writer's transaction. */
@Injectable()
export class WebhookOutboxRepository {
  /**
   * Writes the event and one pending delivery per endpoint that takes it, in `tx`, in one statement; writes nothing
   * when no endpoint does.
   */
  async insert(tx: Tx, userId: string, type: WebhookEventType, data: object): Promise<void> {
    await tx.query(
      `WITH ep AS (${SUBSCRIBED('ARRAY[$1::uuid]', '$2::text')}),
       ev AS (
         INSERT INTO webhook_events (user_id, type, data)
         SELECT $1::uuid, $2::varchar, $3::jsonb WHERE EXISTS (SELECT 1 FROM ep)
         RETURNING id, created_at
       )
       INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id, next_attempt_at, retry_until)
       SELECT ev.id, ep.id, $1::uuid, ev.created_at, ev.created_at + make_interval(secs => $4::int) FROM ev CROSS JOIN ep`,
      [userId, type, JSON.stringify(data), WINDOW_SECONDS],
    );
  }

  /**
   * Several events of one type (alerts one tick fired together) in one statement, each with one pending delivery per
   * endpoint of its user that takes it; writes nothing for a user with none.
   */
  async insertMany(tx: Tx, type: WebhookEventType, events: { userId: string; data: object }[]): Promise<void> {
    if (events.length === 1) return this.insert(tx, events[0].userId, type, events[0].data);
    if (!events.length) return;
    await tx.query(
      `WITH ep AS (${SUBSCRIBED('$1::uuid[]', '$3::text')}),
       ev AS (
         INSERT INTO webhook_events (user_id, type, data)
         SELECT x.user_id, $3::varchar, x.data FROM unnest($1::uuid[], $2::jsonb[]) AS x(user_id, data)
          WHERE x.user_id IN (SELECT user_id FROM ep)
         RETURNING id, user_id, created_at
       )
       INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id, next_attempt_at, retry_until)
       SELECT ev.id, ep.id, ev.user_id, ev.created_at, ev.created_at + make_interval(secs => $4::int) FROM ev JOIN ep ON ep.user_id = ev.user_id`,
      [events.map((e) => e.userId), events.map((e) => JSON.stringify(e.data)), type, WINDOW_SECONDS],
    );
  }

  /**
   * `order.filled` events as a part of the journal statement that posts the fills: each order's data as the REST API
   * shows it, the fields in `stamp` set to the statement's now(), which is what the order row gets (a market order's
   * `createdAt` and `filledAt` (MarketOrderBatcher); a resting order's `filledAt` (TradeExecutor.fillRestingMany)).
   * Written only for users with an endpoint that takes it, and only when the journals were.
   */
  orderFilledPart(orders: { userId: string; data: object }[], stamp: readonly ('createdAt' | 'filledAt')[] = ['createdAt', 'filledAt']): StatementPart {
    const stamped = stamp.map((field) => `'${field}', ${NOW_ISO}`).join(', ');
    return statementPart((bind) => {
      const users = `${bind(orders.map((o) => o.userId))}::uuid[]`;
      return [
        { name: 'wh_ep', sql: SUBSCRIBED(users, `${bind('order.filled')}::text`) },
        {
          name: 'wh_ev',
          sql: `INSERT INTO webhook_events (user_id, type, data)
                SELECT x.user_id, 'order.filled', x.data || jsonb_build_object(${stamped})
                FROM unnest(${users}, ${bind(orders.map((o) => JSON.stringify(o.data)))}::jsonb[]) AS x(user_id, data)
                WHERE (SELECT count(*) FROM j) > 0 AND x.user_id IN (SELECT user_id FROM wh_ep)
                RETURNING id, user_id, created_at`,
        },
        {
          name: 'wh_d',
          sql: `INSERT INTO webhook_deliveries (event_id, endpoint_id, user_id, next_attempt_at, retry_until)
                SELECT wh_ev.id, wh_ep.id, wh_ev.user_id, wh_ev.created_at, wh_ev.created_at + make_interval(secs => ${bind(WINDOW_SECONDS)}::int)
                FROM wh_ev JOIN wh_ep ON wh_ep.user_id = wh_ev.user_id
                RETURNING 1`,
        },
      ];
    });
  }
}
