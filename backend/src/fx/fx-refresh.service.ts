import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { RepeatingJob } from '../common/lifecycle/repeating-job';
import { AppConfig } from '../config/config.service';
import { DISTRIBUTED_LOCK, PUB_SUB, type DistributedLock, type PubSub } from '../redis/redis.interfaces';
import { FX_UPDATED_CHANNEL, FxRatesService } from './fx-rates.service';
import { FxRatesRepository } from './fx-rates.repository';
import { parseEcbDailyXml, perUsdRates } from './sources/ecb-reference-rates';
import { FX_FETCH_TIMEOUT_MS, FX_SOURCE, type FxSource } from './sources/fx-source';

const JOB = 'fx-refresh';
const LOCK = 'fx:refresh';
/** Held only while one instance fetches and stores; longer than a fetch may take. */
const FETCH_LEASE_MS = FX_FETCH_TIMEOUT_MS * 4;

/**
 * Keeps the display-currency reference rates current (ARCHITECTURE §4): at
 * boot (without delaying it) and then every FX_REFRESH_MS, each instance asks
 * whether the stored rates of the configured source were fetched within the
 * interval; if not, the one instance that takes the `fx:refresh` lease fetches
 * the ECB document (or reads the bundled sample), parses it strictly, stores
 * the day's per-USD rates in PostgreSQL and announces them on PUB_SUB. The
 * stored `fetched_at` is the schedule every instance shares, so two instances
 * or a restart fetch once per interval, not once each.
 *
 * A failed round (network, HTTP status, malformed or invalid document, the
 * database) changes nothing stored: the last rates stay served. It logs one
 * warning line (no stack) and retries after FX_RETRY_MS, doubling per failure
 * up to FX_REFRESH_MS. Nothing is thrown out of the schedule.
 */
@Injectable()
export class FxRefreshService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('FxRefresh');
  private readonly abort = new AbortController();
  private readonly job: RepeatingJob;
  private failures = 0;
  private lockStoreDown = false;

  constructor(
    private readonly config: AppConfig,
    scheduler: SchedulerRegistry,
    @Inject(DISTRIBUTED_LOCK) private readonly lock: DistributedLock,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
    private readonly repo: FxRatesRepository,
    private readonly rates: FxRatesService,
    @Inject(FX_SOURCE) private readonly source: FxSource,
  ) {
    this.job = new RepeatingJob(
      scheduler,
      JOB,
      () => this.round(),
      () => this.nextDelayMs(),
    );
  }

  private get stopped(): boolean {
    return this.job.isStopped;
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Stops the schedule, aborts a fetch in flight and waits for the round to end (it may hold a database connection). */
  async stop(): Promise<void> {
    const stopping = this.job.stop();
    this.abort.abort();
    await stopping;
  }

  /** The wait before the next round: the interval, or the backoff after failures. */
  nextDelayMs(): number {
    const { fxRefreshMs, fxRetryMs } = this.config.values;
    if (this.failures === 0) return fxRefreshMs;
    return Math.min(fxRefreshMs, fxRetryMs * 2 ** Math.min(this.failures - 1, 30));
  }

  /** Rates fetched this recently count as current (a little under the interval, so the instance that fetched last is due at its next round). */
  private get freshForMs(): number {
    const every = this.config.values.fxRefreshMs;
    return every - Math.min(Math.floor(every / 10), 60_000);
  }

  private async fresh(): Promise<boolean> {
    const last = await this.repo.lastFetchedAt(this.source.name);
    return last !== null && Date.now() - last.getTime() < this.freshForMs;
  }

  private async round(): Promise<void> {
    let token: string | null = null;
    try {
      if (await this.fresh()) {
        this.failures = 0;
        await this.rates.reload();
        return;
      }
      token = await this.takeLease();
      if (token === null || (await this.fresh())) {
        // Another instance is fetching, or just stored them: read what is stored.
        this.failures = 0;
        await this.rates.reload();
        return;
      }
      if (this.stopped) return;
      const xml = await this.source.load(this.abort.signal);
      const day = parseEcbDailyXml(xml);
      const perUsd = perUsdRates(day);
      await this.repo.store(this.source.name, day.date, perUsd, new Date());
      this.failures = 0;
      this.logger.log({ source: this.source.name, date: day.date, rates: perUsd }, 'reference rates stored');
      await this.rates.reload().catch(() => undefined);
      await this.pubsub.publish(FX_UPDATED_CHANNEL, day.date).catch(() => undefined);
    } catch (e) {
      if (this.stopped) return;
      this.failures++;
      this.logger.warn(
        { source: this.source.name, from: this.source.location, reason: (e as Error).message, failures: this.failures, retryInMs: this.nextDelayMs() },
        'reference rates: refresh failed; the last stored rates stay in use',
      );
    } finally {
      if (token) await this.lock.release(LOCK, token).catch(() => undefined);
    }
  }

  /**
   * The lease's token; null when another instance holds it; '' when the lock store (Redis) cannot be reached,
   * and the round fetches without it: a second fetch of the same day stores the same rows, while no fetch at
   * all would leave the rates to age.
   */
  private async takeLease(): Promise<string | null> {
    try {
      const token = await this.lock.acquire(LOCK, FETCH_LEASE_MS);
      if (this.lockStoreDown) this.logger.log('reference rates: lock store reachable again');
      this.lockStoreDown = false;
      return token;
    } catch (e) {
      if (!this.lockStoreDown) this.logger.warn({ reason: (e as Error).message }, 'reference rates: lock store unreachable; refreshing without the lease');
      this.lockStoreDown = true;
      return '';
    }
  }
}
