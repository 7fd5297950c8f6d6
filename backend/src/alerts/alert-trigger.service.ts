import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MARKET_QUOTES, type MarketQuotes, type Quote } from '../common/market/market-quotes';
import { dec } from '../common/money/decimal';
import { AppConfig } from '../config/config.service';
import { NotificationsService } from '../notifications/notifications.service';
import { PUB_SUB, type PubSub } from '../redis/redis.interfaces';
import { ArmedAlert, ArmedAlertIndex, foldQuotes, QuoteRange, reachesTarget } from './alert-rules';
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
  /** Ticks not evaluated yet: per symbol, the highest and the lowest quote seen since the last evaluation. */
  private pending = new Map<string, QuoteRange>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.offChanges = await this.pubsub.subscribe(ALERTS_CHANGED_CHANNEL, (id) => this.enqueue(() => this.refresh(id)));
    await this.resync();
    this.offTick = this.quotes.onTick((quotes) => this.collect(quotes));
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

  /** Ticks that arrive while the engine is busy join the next evaluation (one per symbol): a backlog never grows. */
  private collect(quotes: Quote[]): void {
    const idle = this.pending.size === 0;
    foldQuotes(this.pending, quotes);
    if (idle && this.pending.size > 0) {
      this.enqueue(async () => {
        const batch = this.pending;
        this.pending = new Map();
        for (const { high, low } of batch.values()) {
          await this.evaluate([high], 'above');
          await this.evaluate([low], 'below');
        }
      });
    }
  }

  private async evaluate(quotes: Quote[], only?: 'above' | 'below'): Promise<void> {
    for (const quote of quotes) {
      const reached = this.index.reachedBy(quote.symbol, quote.price).filter((a) => !only || a.condition === only);
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
      await this.refresh(alert.id, false).catch(() => undefined);
      return;
    }
    if (!fired) {
      // Someone else fired, paused, moved or deleted it meanwhile: take the row as it is now.
      await this.refresh(alert.id, false);
      return;
    }
    this.logger.log({ alertId: fired.id, userId: fired.user_id, symbol: fired.symbol, price: quote.price }, 'alert fired');
    await this.pubsub.publish(ALERTS_CHANGED_CHANNEL, fired.id).catch(() => undefined);
    const dto = toAlertDto(fired);
    const target = dec(fired.target_price).toFixed();
    const price = dec(fired.triggered_price ?? quote.price).toFixed();
    try {
      await this.notifications.notify(fired.user_id, {
        type: 'alert_triggered',
        title: `${fired.symbol} is ${fired.condition} ${target} USD`,
        body: `Your alert "${fired.symbol} ${fired.condition} ${target} USD" fired: ${fired.symbol} traded at ${price} USD at ${dto.triggeredAt}.`,
        data: { alert: dto },
        email: fired.notify_email,
      });
    } catch (e) {
      this.logger.error({ alertId: fired.id }, `alert fired but the notification failed: ${(e as Error).message}`);
    }
  }

  /**
   * Takes one alert's current row into the index (armed) or out of it
   * (anything else, or gone). On the leader, an armed alert the current price
   * already reaches fires now rather than at the next tick that moves the price.
   */
  private async refresh(id: string, fireIfReached = true): Promise<void> {
    const [row] = await this.dataSource.query<AlertRow[]>('SELECT id, user_id, symbol, condition, target_price FROM alerts WHERE id = $1 AND active', [id]);
    if (!row) {
      this.index.remove(id);
      return;
    }
    const alert = toArmedAlert(row);
    this.index.upsert(alert);
    const quote = fireIfReached ? this.freshQuote(alert.symbol) : undefined;
    if (quote && reachesTarget(alert.condition, alert.targetPrice, quote.price)) {
      this.index.remove(alert.id);
      await this.fire(alert, quote);
    }
  }

  private async resync(): Promise<void> {
    const rows = await this.dataSource.query<AlertRow[]>('SELECT id, user_id, symbol, condition, target_price FROM alerts WHERE active');
    this.index.replaceAll(rows.map(toArmedAlert));
    if (this.quotes.isLeader()) {
      await this.evaluate(this.quotes.all().filter((q) => this.freshQuote(q.symbol) !== undefined));
    }
  }

  /** The latest quote of a symbol when this instance leads and the quote is fresh enough to act on. */
  private freshQuote(symbol: string): Quote | undefined {
    if (!this.quotes.isLeader()) return undefined;
    const quote = this.quotes.latest(symbol);
    if (!quote || Date.now() - new Date(quote.timestamp).getTime() > this.config.values.priceMaxAgeMs) return undefined;
    return quote;
  }
}
