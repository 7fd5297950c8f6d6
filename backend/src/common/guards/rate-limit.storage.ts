import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { MemoryKeyValueStore } from '../../redis/memory-twins';
import type { KeyValueStore } from '../../redis/redis.interfaces';
import { BatchedWindowCounter, type WindowCount } from './batched-window-counter';

/** What `ThrottlerStorage.increment` answers (times in whole seconds, as @nestjs/throttler's own storage). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How often batched counts are pushed to the shared store. */
export const RATE_LIMIT_FLUSH_MS = 100;

/**
 * The rate limits' ThrottlerStorage: fixed windows (`ttl` ms from a key's
 * first hit) in the shared key-value store — Redis, or its in-process twin
 * when REDIS_URL is unset (KV_STORE) — so every instance shares them. Over the
 * limit, a key is blocked until its window ends (`blockDuration` is the window).
 *
 * If the store does not answer, hits are counted in this process instead (the
 * same windows, per instance): failing closed would turn a cache outage into a
 * full outage, failing open would drop the login and signup limits. Across N
 * instances the limit is then up to N times looser until the store answers
 * again, which the storage notices by itself.
 *
 * `incrementBatched` is the fast path for the generous default limit on every
 * route: counted in process and pushed in batches (BatchedWindowCounter), so
 * most requests are answered synchronously instead of after a store round
 * trip; the strict named limits (login, signup, e-mail actions) go through
 * `increment`, to the store on every request.
 */
export class RateLimitStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimitStorage');
  private readonly batched: BatchedWindowCounter;
  /** Counts while the shared store is unreachable. */
  private readonly local = new MemoryKeyValueStore();
  private storeDownSince: number | null = null;

  constructor(private readonly kv: KeyValueStore) {
    this.batched = new BatchedWindowCounter(kv, RATE_LIMIT_FLUSH_MS, (e) => this.storeDown(e));
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const hit = await this.kv.increment(key, ttl).then(
      (h) => this.storeUp(h),
      (e: Error) => {
        this.storeDown(e);
        return this.local.increment(key, ttl);
      },
    );
    return record(hit, limit);
  }

  /**
   * The key's window as it stands, without counting a hit: `isBlocked` once it has `limit` hits or more (the next hit
   * would be over), for budgets counted after the outcome that uses them (a failure) and checked before the work.
   * One read of the store; the window's remaining time is read only when blocked. The same fallback as `increment`.
   */
  async peek(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const read = async (kv: KeyValueStore): Promise<WindowCount> => {
      const count = Number((await kv.get(key)) ?? 0);
      // Adding 0 reads the window's remaining time (the key exists: it holds the count).
      return count >= limit ? kv.increment(key, ttl, 0) : { count, resetInMs: ttl };
    };
    const hit = await read(this.kv).then(
      (h) => this.storeUp(h),
      (e: Error) => {
        this.storeDown(e);
        return read(this.local);
      },
    );
    return record(hit, limit - 1);
  }

  /** Like `increment`, counted in process and pushed in batches: synchronous once the key's window is known here. */
  incrementBatched(key: string, ttl: number, limit: number): ThrottlerStorageRecord | Promise<ThrottlerStorageRecord> {
    let hit: WindowCount | Promise<WindowCount>;
    try {
      hit = this.batched.hit(key, ttl);
    } catch (e) {
      this.storeDown(e as Error);
      return this.local.increment(key, ttl).then((h) => record(h, limit));
    }
    if (!(hit instanceof Promise)) return record(hit, limit);
    return hit.then(
      (h) => record(this.storeUp(h), limit),
      (e: Error) => {
        this.storeDown(e);
        return this.local.increment(key, ttl).then((h) => record(h, limit));
      },
    );
  }

  /** Logs the first failure of an outage only (batched flushes fail every 100 ms while it lasts). */
  private storeDown(e: Error): void {
    if (this.storeDownSince !== null) return;
    this.storeDownSince = Date.now();
    this.logger.warn(`rate limit store unavailable, counting in this process until it answers: ${e.message}`);
  }

  private storeUp<T>(result: T): T {
    if (this.storeDownSince !== null) {
      this.logger.log(`rate limit store answers again after ${Date.now() - this.storeDownSince} ms`);
      this.storeDownSince = null;
    }
    return result;
  }
}

/** A window's count as @nestjs/throttler reads it: seconds left rounded up, at least 1 (what Retry-After says). */
function record({ count, resetInMs }: WindowCount, limit: number): ThrottlerStorageRecord {
  const seconds = Math.max(1, Math.ceil(resetInMs / 1000));
  const isBlocked = count > limit;
  return { totalHits: count, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
}
