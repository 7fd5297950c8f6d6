import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { WebhookOutbox } from '../auth/api-keys/webhooks/webhook-outbox';
import type { Quote } from '../common/market/market-quotes';
import { formatDateTime, formatUsdPrice } from '../common/money/prose-format';
import { UnitOfWork } from '../database/unit-of-work';
import { NotificationsService, type NotifyInput, type StagedNotification } from '../notifications/notifications.service';
import { PUB_SUB, type PubSub } from '../redis/redis.interfaces';
import { TriggerEngine, type QuoteMeasure, type TriggerRegistrant } from '../triggers/trigger-engine';
import { percentWords, signedPercentWords, type AlertKind, type ArmedAlert } from './alert-rules';
import { ALERTS_CHANGED_CHANNEL, toAlertDto, toArmedAlert } from './alert.mapper';
import { AlertsRepository, type AlertRow } from './alerts.repository';

/** How often every instance reloads the armed alerts, in case a change message was lost. */
const RESYNC_MS = 60_000;

/**
 * Alerts as registrants of the shared trigger engine (triggers/): two books, one per kind, since their levels are
 * of different figures: price alerts at a price, alerts on a 24 h move at the quote's 24 h change in percent. Each
 * tells the engine which alerts of its kind are armed and notifies the owner when one fires. Change messages carry
 * only the id: the row is read again (the book of the other kind drops it). An alert armed by a change fires at once
 * when the fresh quote already reaches it (the API asked its owner to confirm that); ticks that pile up are
 * evaluated at their extremes (a spike that came and went fires). Firing is guarded in SQL (`UPDATE … WHERE active
 * AND <not cooling down> AND <reached> RETURNING`), so an alert fires once, a repeating one once per cooldown, even
 * if two instances evaluate the same tick. A repeating alert that fired stays in its book; until its `rearmAt`
 * a crossing is answered here, without a database round trip.
 */
@Injectable()
export class AlertTriggerService implements OnModuleInit {
  private readonly logger = new Logger('AlertTrigger');

  constructor(
    private readonly engine: TriggerEngine,
    private readonly alerts: AlertsRepository,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
    private readonly notifications: NotificationsService,
    private readonly uow: UnitOfWork,
    private readonly webhooks: WebhookOutbox,
  ) {}

  onModuleInit(): void {
    this.engine.register(this.lane('price', 'alerts', 'price'));
    this.engine.register(this.lane('move', 'alert-moves', 'change24h'));
  }

  /** The registrant of one kind of alert. */
  private lane(kind: AlertKind, name: string, measure: QuoteMeasure): TriggerRegistrant<ArmedAlert> {
    return {
      kind: name,
      channel: ALERTS_CHANGED_CHANNEL,
      resyncMs: RESYNC_MS,
      pileUp: 'extremes',
      fireOnArm: true,
      measure,
      loadArmed: async () => (await this.alerts.allArmed(kind)).map(toArmedAlert),
      changed: async (id: string) => ({ id, armed: await this.armedNow(id, kind) }),
      fire: (alert: ArmedAlert, quote: Quote) => this.fire(alert, quote),
      fireMany: (alerts: ArmedAlert[], quote: Quote) => this.fireMany(alerts, quote),
    };
  }

  async fire(alert: ArmedAlert, quote: Quote): Promise<ArmedAlert | null> {
    // A repeating alert cooling down after its last firing: it stays in the book (the database guard would refuse too).
    if (alert.rearmAt !== null && alert.rearmAt > Date.now()) return alert;
    let fired: AlertRow | undefined;
    let notice: StagedNotification | undefined;
    try {
      // The firing, its `alert.triggered` webhook event (the outbox) and the owner's notification commit together.
      fired = await this.uow.run(async (tx) => {
        const row = await this.alerts.fireIfReached(alert.id, quote.symbol, quote.price, quote.change24h, tx);
        if (row) {
          await this.webhooks.record(tx, row.user_id, 'alert.triggered', toAlertDto(row));
          [notice] = await this.notifications.stage(tx, [{ userId: row.user_id, input: firedNotice(row, quote) }]);
        }
        return row;
      });
    } catch (e) {
      this.logger.error({ alertId: alert.id }, `alert not fired: ${(e as Error).message}`);
      return this.armedNow(alert.id, alert.kind).catch(() => null);
    }
    // Someone else fired, paused, moved or deleted it meanwhile (or it is still cooling down): take the row as it is now.
    if (!fired) return this.armedNow(alert.id, alert.kind);
    this.logger.log(
      { alertId: fired.id, userId: fired.user_id, symbol: fired.symbol, price: quote.price, change24h: quote.change24h, repeats: fired.active },
      'alert fired',
    );
    // After the commit, side by side: the other instances' books, and the owner's sockets (and email).
    await Promise.all([this.pubsub.publish(ALERTS_CHANGED_CHANNEL, fired.id).catch(() => undefined), notice && this.notifications.deliver(notice)]);
    // A repeating alert stays armed, cooling down until its rearm_at.
    return fired.active ? toArmedAlert(fired) : null;
  }

  /**
   * Several alerts one quote reached (the trigger engine hands a few crossed at once here together): one transaction,
   * one guarded UPDATE, their webhook events and their notifications one statement each, where a transaction apiece
   * side by side would queue on the database. The same outcome per alert as `fire`; when the transaction fails, each
   * is tried on its own, so one bad alert holds up no other.
   */
  async fireMany(alerts: ArmedAlert[], quote: Quote): Promise<(ArmedAlert | null)[]> {
    const now = Date.now();
    // Repeating alerts cooling down stay in the book, as in `fire`.
    const due = alerts.filter((a) => a.rearmAt === null || a.rearmAt <= now);
    if (!due.length) return alerts;
    let closed: { rows: AlertRow[]; notices: StagedNotification[] };
    try {
      closed = await this.uow.run(async (tx) => {
        const rows = await this.alerts.fireManyIfReached(
          due.map((a) => a.id),
          quote.symbol,
          quote.price,
          quote.change24h,
          tx,
        );
        if (!rows.length) return { rows, notices: [] };
        await this.webhooks.recordMany(
          tx,
          'alert.triggered',
          rows.map((row) => ({ userId: row.user_id, data: toAlertDto(row) })),
        );
        const notices = await this.notifications.stage(
          tx,
          rows.map((row) => ({ userId: row.user_id, input: firedNotice(row, quote) })),
        );
        return { rows, notices };
      });
    } catch (e) {
      this.logger.warn(`firing ${due.length} reached alerts together failed, firing them one at a time: ${(e as Error).message}`);
      const after: (ArmedAlert | null)[] = [];
      for (const alert of alerts) after.push(await this.fire(alert, quote));
      return after;
    }
    const fired = new Map(closed.rows.map((row) => [row.id, row]));
    for (const row of closed.rows) {
      this.logger.log(
        { alertId: row.id, userId: row.user_id, symbol: row.symbol, price: quote.price, change24h: quote.change24h, repeats: row.active },
        'alert fired',
      );
    }
    // After the commit, side by side: the other instances' books, and the owners' sockets (and email).
    await Promise.all([
      ...closed.rows.map((row) => this.pubsub.publish(ALERTS_CHANGED_CHANNEL, row.id).catch(() => undefined)),
      ...closed.notices.map((n) => this.notifications.deliver(n)),
    ]);
    return Promise.all(
      alerts.map(async (alert) => {
        if (!due.includes(alert)) return alert;
        const row = fired.get(alert.id);
        // Someone else fired, paused, moved or deleted it meanwhile: take the row as it is now (kept when that read fails,
        // as `fire` keeps it: the next crossing or resync settles it).
        if (!row) return this.armedNow(alert.id, alert.kind).catch(() => alert);
        return row.active ? toArmedAlert(row) : null;
      }),
    );
  }

  private async armedNow(id: string, kind: AlertKind): Promise<ArmedAlert | null> {
    const row = await this.alerts.armed(id);
    return row && row.kind === kind ? toArmedAlert(row) : null;
  }
}

/** The owner's notification of a fired alert (stored with the firing, then pushed to their sockets and mailed if asked). */
function firedNotice(row: AlertRow, quote: Quote): NotifyInput {
  return { ...alertFiredText(row, quote), type: 'alert_triggered', data: { alert: toAlertDto(row) }, email: row.notify_email };
}

/**
 * The English title and body of a fired alert's notification (and email); the client writes them again in the
 * reader's language from `data.alert` (frontend core/notifications/notification-text.ts).
 */
export function alertFiredText(fired: AlertRow, quote: Quote): { title: string; body: string } {
  const price = formatUsdPrice(fired.triggered_price ?? quote.price);
  const at = formatDateTime(fired.triggered_at ?? quote.timestamp);
  const again = fired.active && fired.rearm_at ? ` It is armed again from ${formatDateTime(fired.rearm_at, { roundUp: true })}.` : '';
  if (fired.kind === 'move') {
    const move = percentWords(fired.move_pct ?? '0');
    const change = signedPercentWords(fired.triggered_change ?? quote.change24h);
    const way = fired.condition === 'up' ? 'up' : 'down';
    return {
      title: `${fired.symbol} is ${way} ${percentWords(fired.triggered_change ?? quote.change24h)} in 24 hours`,
      body: `Your alert “${fired.symbol} ${way} ${move} in 24 hours” fired: ${fired.symbol} traded at ${price}, ${change} in 24 hours, on ${at}.${again}`,
    };
  }
  const target = formatUsdPrice(fired.target_price);
  return {
    title: `${fired.symbol} is ${fired.condition} ${target}`,
    body: `Your alert “${fired.symbol} ${fired.condition} ${target}” fired: ${fired.symbol} traded at ${price} on ${at}.${again}`,
  };
}
