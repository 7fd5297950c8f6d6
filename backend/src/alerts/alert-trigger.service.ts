import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MARKET_QUOTES, type MarketQuotes, type Quote } from '../common/market/market-quotes';
import { dec } from '../common/money/decimal';
import { NotificationsService } from '../notifications/notifications.service';
import { PUB_SUB, type PubSub } from '../redis/redis.interfaces';
import { ArmedAlert, ArmedAlertIndex } from './alert-rules';
import { ALERTS_CHANGED_CHANNEL, AlertRow, toAlertDto, toArmedAlert } from './alert.mapper';

/** How often the in-memory index is rebuilt from the database, in case a change message was lost. */
const RESYNC_MS = 60_000;

/**
 * Fires price alerts. Every instance keeps the armed alerts in a sorted index
 * (loaded at start, kept current by change messages over PUB_SUB and a
 * periodic resync), so whichever instance leads can evaluate a tick at once;
 * only the leader receives ticks. Firing is guarded in SQL
 * (`UPDATE … WHERE active AND <target reached> RETURNING`), so an alert fires
 * once even if two instances evaluate the same tick.
 */
@Injectable()
export class AlertTriggerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AlertTrigger');
  private readonly index = new ArmedAlertIndex();
  private queue: Promise<void> = Promise.resolve();
  private offTick?: () => void;
  private offChanges?: () => Promise<void>;
  private resyncTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
    private readonly notifications: NotificationsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.offChanges = await this.pubsub.subscribe(ALERTS_CHANGED_CHANNEL, (id) => this.enqueue(() => this.refresh(id)));
    await this.resync();
    this.offTick = this.quotes.onTick((quotes) => this.enqueue(() => this.evaluate(quotes)));
    this.resyncTimer = setInterval(() => this.enqueue(() => this.resync()), RESYNC_MS);
    this.resyncTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.offTick?.();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    await this.offChanges?.();
    await this.queue;
  }

  /** Ticks, change messages and resyncs run one at a time, in arrival order. */
  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue
      .then(() => (this.stopped ? undefined : work()))
      .catch((e: unknown) => this.logger.error(`alert engine step failed: ${(e as Error).message}`));
  }

  private async evaluate(quotes: Quote[]): Promise<void> {
    for (const quote of quotes) {
      const reached = this.index.reachedBy(quote.symbol, quote.price);
      for (const alert of reached) {
        // Out of the index before the database round trip, so the next tick cannot pick it again.
        this.index.remove(alert.id);
        await this.fire(alert, quote);
      }
    }
  }

  private async fire(alert: ArmedAlert, quote: Quote): Promise<void> {
    let fired: AlertRow | undefined;
    try {
      const [rows] = await this.dataSource.query<[AlertRow[], number]>(
        `UPDATE alerts SET active = false, triggered_at = now(), triggered_price = $2::numeric, updated_at = now()
         WHERE id = $1 AND active AND symbol = $3
           AND ((condition = 'above' AND target_price <= $2::numeric) OR (condition = 'below' AND target_price >= $2::numeric))
         RETURNING *`,
        [alert.id, quote.price, quote.symbol],
      );
      fired = rows[0];
    } catch (e) {
      this.logger.error({ alertId: alert.id }, `alert not fired: ${(e as Error).message}`);
      await this.refresh(alert.id).catch(() => undefined);
      return;
    }
    if (!fired) {
      // Someone else fired, paused, moved or deleted it meanwhile: take the row as it is now.
      await this.refresh(alert.id);
      return;
    }
    this.logger.log({ alertId: fired.id, userId: fired.user_id, symbol: fired.symbol, price: quote.price }, 'alert fired');
    await this.pubsub.publish(ALERTS_CHANGED_CHANNEL, fired.id).catch(() => undefined);
    const dto = toAlertDto(fired);
    const target = dec(fired.target_price).toFixed();
    const price = dec(fired.triggered_price ?? quote.price).toFixed();
    await this.notifications.notify(fired.user_id, {
      type: 'alert_triggered',
      title: `${fired.symbol} is ${fired.condition} ${target} USD`,
      body: `Your alert "${fired.symbol} ${fired.condition} ${target} USD" fired: ${fired.symbol} traded at ${price} USD at ${dto.triggeredAt}.`,
      data: { alert: dto },
      email: fired.notify_email,
    });
  }

  /** Takes one alert's current row into the index (armed) or out of it (anything else, or gone). */
  private async refresh(id: string): Promise<void> {
    const [row] = await this.dataSource.query<AlertRow[]>('SELECT id, user_id, symbol, condition, target_price FROM alerts WHERE id = $1 AND active', [id]);
    if (row) this.index.upsert(toArmedAlert(row));
    else this.index.remove(id);
  }

  private async resync(): Promise<void> {
    const rows = await this.dataSource.query<AlertRow[]>('SELECT id, user_id, symbol, condition, target_price FROM alerts WHERE active');
    this.index.replaceAll(rows.map(toArmedAlert));
  }
}
