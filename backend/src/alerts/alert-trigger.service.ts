import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Quote } from '../common/market/market-quotes';
import { formatDateTime, formatUsdPrice } from '../common/money/prose-format';
import { NotificationsService } from '../notifications/notifications.service';
import { PUB_SUB, type PubSub } from '../redis/redis.interfaces';
import { TriggerEngine, type TriggerRegistrant } from '../triggers/trigger-engine';
import type { ArmedAlert } from './alert-rules';
import { ALERTS_CHANGED_CHANNEL, toAlertDto, toArmedAlert } from './alert.mapper';
import { AlertsRepository, type AlertRow } from './alerts.repository';

/** How often every instance reloads the armed alerts, in case a change message was lost. */
const RESYNC_MS = 60_000;

/**
 * Price alerts as a registrant of the shared trigger engine (triggers/): it
 * tells the engine which alerts are armed and notifies the owner when one
 * fires. Change messages carry only the id: the row is read again. An alert
 * armed by a change fires at once when the fresh price already reaches it;
 * ticks that pile up are evaluated at their extremes (a spike that came and
 * went fires). Firing is guarded in SQL (`UPDATE … WHERE active AND <target
 * reached> RETURNING`), so an alert fires once even if two instances
 * evaluate the same tick.
 */
@Injectable()
export class AlertTriggerService implements TriggerRegistrant<ArmedAlert>, OnModuleInit {
  readonly kind = 'alerts';
  readonly channel = ALERTS_CHANGED_CHANNEL;
  readonly resyncMs = RESYNC_MS;
  readonly pileUp = 'extremes';
  readonly fireOnArm = true;
  private readonly logger = new Logger('AlertTrigger');

  constructor(
    private readonly engine: TriggerEngine,
    private readonly alerts: AlertsRepository,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.engine.register(this);
  }

  async loadArmed(): Promise<ArmedAlert[]> {
    return (await this.alerts.allArmed()).map(toArmedAlert);
  }

  async changed(id: string): Promise<{ id: string; armed: ArmedAlert | null }> {
    return { id, armed: await this.armedNow(id) };
  }

  async fire(alert: ArmedAlert, quote: Quote): Promise<ArmedAlert | null> {
    let fired: AlertRow | undefined;
    try {
      fired = await this.alerts.fireIfReached(alert.id, quote.symbol, quote.price);
    } catch (e) {
      this.logger.error({ alertId: alert.id }, `alert not fired: ${(e as Error).message}`);
      return this.armedNow(alert.id).catch(() => null);
    }
    // Someone else fired, paused, moved or deleted it meanwhile: take the row as it is now.
    if (!fired) return this.armedNow(alert.id);
    this.logger.log({ alertId: fired.id, userId: fired.user_id, symbol: fired.symbol, price: quote.price }, 'alert fired');
    await this.pubsub.publish(ALERTS_CHANGED_CHANNEL, fired.id).catch(() => undefined);
    const dto = toAlertDto(fired);
    const target = formatUsdPrice(fired.target_price);
    const price = formatUsdPrice(fired.triggered_price ?? quote.price);
    const at = formatDateTime(fired.triggered_at ?? quote.timestamp);
    try {
      await this.notifications.notify(fired.user_id, {
        type: 'alert_triggered',
        title: `${fired.symbol} is ${fired.condition} ${target}`,
        body: `Your alert “${fired.symbol} ${fired.condition} ${target}” fired: ${fired.symbol} traded at ${price} on ${at}.`,
        data: { alert: dto },
        email: fired.notify_email,
      });
    } catch (e) {
      this.logger.error({ alertId: fired.id }, `alert fired but the notification failed: ${(e as Error).message}`);
    }
    return null;
  }

  private async armedNow(id: string): Promise<ArmedAlert | null> {
    const row = await this.alerts.armed(id);
    return row ? toArmedAlert(row) : null;
  }
}
