import { Inject, Injectable, Logger } from '@nestjs/common';
import { MemoryKeyValueStore } from '../../redis/memory-twins';
import { KV_STORE, type KeyValueStore } from '../../redis/redis.interfaces';

export interface FailurePolicy {
  /** Failures allowed per window; the next ones are refused (429) until the window ends. */
  limit: number;
  windowMs: number;
}

/** Counting failures (not requests), for routes where success must never be refused. */
export const FAILURE_LIMITS = {
  /** IPN signature failures per client IP: a real provider never fails, a forger gets 10 a minute. */
  ipnSignature: { limit: 10, windowMs: 60_000 },
} satisfies Record<string, FailurePolicy>;

export interface FailureVerdict {
  /** This failure is past the limit: answer 429 (see `rateLimited`) instead of the usual error. */
  over: boolean;
  /** This failure is the first one past the limit in its window (log it once, not every refusal). */
  first: boolean;
  retryMs: number;
}

/**
 * Fixed-window failure counters in the rate limits' shared store (Redis, or
 * its twin), with the same fallback as RateLimitGuard: counted in this
 * process while the store does not answer, so an outage neither opens nor
 * closes the limit. Only failures are counted, after the work that decided
 * they are failures, so a caller that succeeds is never refused whatever
 * others from its address did.
 */
@Injectable()
export class FailureLimiter {
  private readonly logger = new Logger(FailureLimiter.name);
  private readonly local = new MemoryKeyValueStore();
  private storeDown = false;

  constructor(@Inject(KV_STORE) private readonly kv: KeyValueStore) {}

  async fail(name: keyof typeof FAILURE_LIMITS, subject: string): Promise<FailureVerdict> {
    const policy: FailurePolicy = FAILURE_LIMITS[name];
    const key = `fl:${name}:${subject}`;
    const { count, resetInMs } = await this.kv.increment(key, policy.windowMs).then(
      (hit) => {
        this.storeDown = false;
        return hit;
      },
      (e: Error) => {
        // Once per outage, not once per failure.
        if (!this.storeDown) this.logger.warn(`failure counter store unavailable, counting in this process until it answers: ${e.message}`);
        this.storeDown = true;
        return this.local.increment(key, policy.windowMs);
      },
    );
    return { over: count > policy.limit, first: count === policy.limit + 1, retryMs: resetInMs };
  }
}
