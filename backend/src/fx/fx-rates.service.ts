import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { cachedJson, type CachedJson } from '../common/http/cached-json';
import { PUB_SUB, type PubSub } from '../redis/redis.interfaces';
import { toFxRatesDto } from './fx-rates.mapper';
import { FxRatesRepository } from './fx-rates.repository';
import { FX_SOURCE, type FxSource } from './sources/fx-source';

/** The instance that stored new rates says so here; every instance reads them again. */
export const FX_UPDATED_CHANNEL = 'fx:rates-updated';
/** A request reads the stored rates again (in the background) when this instance last read them longer ago than this. */
const RELOAD_AFTER_MS = 60_000;

/**
 * The read side of `GET /api/fx/rates`: the latest stored day of the configured
 * source, serialised once (bytes and ETag) and kept in memory. Read again after
 * a refresh stored rates (here or, announced on PUB_SUB, on another instance),
 * and at most a minute after the last read when requests come, so an instance
 * that missed an announcement catches up.
 */
@Injectable()
export class FxRatesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('FxRates');
  private snapshot?: { json: CachedJson; loadedAt: number };
  private loading?: Promise<void>;
  private loadAgain?: Promise<void>;
  private readFailing = false;
  private unsubscribe?: () => Promise<void>;

  constructor(
    private readonly repo: FxRatesRepository,
    @Inject(FX_SOURCE) private readonly source: FxSource,
    @Inject(PUB_SUB) private readonly pubsub: PubSub,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      this.unsubscribe = await this.pubsub.subscribe(FX_UPDATED_CHANNEL, () => void this.reload().catch(() => undefined));
    } catch (e) {
      // Not fatal: without announcements this instance reads the stored rates a minute after its last read.
      this.logger.warn({ reason: (e as Error).message }, 'reference rates: cannot subscribe to update announcements');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.unsubscribe?.().catch(() => undefined);
  }

  /** JSON of FxRatesDto with its ETag. Throws (the database error: 503) only when the rates were never read and cannot be now. */
  async ratesJson(): Promise<CachedJson> {
    const snapshot = this.snapshot;
    if (!snapshot) {
      await this.reload();
      return this.snapshot!.json;
    }
    if (Date.now() - snapshot.loadedAt > RELOAD_AFTER_MS) this.reload().catch(() => undefined);
    return snapshot.json;
  }

  /** Reads the stored rates again. A call made while a read runs gets a read that starts after it (it may follow a new store). */
  reload(): Promise<void> {
    if (this.loading) {
      this.loadAgain ??= this.loading
        .catch(() => undefined)
        .then(() => {
          this.loadAgain = undefined;
          return this.reload();
        });
      return this.loadAgain;
    }
    this.loading = this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    try {
      const rows = await this.repo.latest(this.source.name);
      this.snapshot = { json: cachedJson(toFxRatesDto(this.source, rows)), loadedAt: Date.now() };
      if (this.readFailing) this.logger.log('reference rates: reading the stored rates works again');
      this.readFailing = false;
    } catch (e) {
      // Keep serving what was read last; try again a minute from now, not on every request.
      if (this.snapshot) this.snapshot.loadedAt = Date.now();
      if (!this.readFailing) this.logger.warn({ reason: (e as Error).message }, 'reference rates: reading the stored rates failed; serving the last ones read');
      this.readFailing = true;
      throw e;
    }
  }
}
