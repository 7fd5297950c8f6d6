import { Logger } from '@nestjs/common';
import { MemoryKeyValueStore } from '../../redis/memory-twins';
import type { KeyValueStore } from '../../redis/redis.interfaces';
import { budgetSubject } from '../http/client-ip';
import { requestContext } from '../request-context';
import { rateLimited } from './rate-limit.guard';

export interface OutcomePolicy {
  /** Outcomes allowed per window; past it, the caller is refused (429) until the window ends. */
  limit: number;
  windowMs: number;
  /** Multiplied by RATE_LIMIT_SCALE like the request limits (test suites that make many accounts from one address raise it). */
  scaled?: boolean;
}

/**
 * Counting outcomes (not requests), for routes where a caller who succeeds must
 * not pay for the failures of others behind the same address. Per client address.
 */
export const FAILURE_LIMITS = {
  /** IPN signature failures: a real provider never fails, a forger gets 10 a minute. */
  ipnSignature: { limit: 10, windowMs: 60_000 },
  /**
   * Failed credentials: wrong passwords, two-factor codes and passkeys at sign-in (unknown accounts too), wrong
   * email-verification codes and links, wrong setup tokens, invalid reset, confirmation and "This wasn't me" links, and
   * signups for an address that has an account. Sized for an office's or a mobile carrier's NAT: 50 in 15 minutes.
   * A correct password is refused only once its address is past that; each account's own lockout (5 failures in a
   * row, 15 minutes) is separate and refuses only that account.
   */
  credentials: { limit: 50, windowMs: 15 * 60_000, scaled: true },
  /** Accounts made (accepted signups only: a refused signup costs nothing): 20 an hour. */
  signups: { limit: 20, windowMs: 60 * 60_000, scaled: true },
} satisfies Record<string, OutcomePolicy>;

export type OutcomeBudget = keyof typeof FAILURE_LIMITS;

export interface FailureVerdict {
  /** This outcome is past the limit: answer 429 (see `rateLimited`) instead of the usual error. */
  over: boolean;
  /** This outcome is the first one past the limit in its window (log it once, not every refusal). */
  first: boolean;
  retryMs: number;
}

/**
 * Fixed-window outcome counters in the rate limits' shared store (Redis, or
 * its twin), with the same fallback as RateLimitGuard: counted in this
 * process while the store does not answer, so an outage neither opens nor
 * closes the limit. An outcome is counted after the work that decided it
 * (`count`); a budget is checked before the work (`refuseIfOver`, see
 * `@LimitedByOutcomes`), so only callers from an address already past it pay.
 */
export class FailureLimiter {
  private readonly logger = new Logger(FailureLimiter.name);
  private readonly local = new MemoryKeyValueStore();
  private storeDown = false;

  constructor(
    private readonly kv: KeyValueStore,
    /** RATE_LIMIT_SCALE. */
    private readonly scale = 1,
  ) {}

  /** Counts one outcome of `subject` (a client address). */
  async count(name: OutcomeBudget, subject: string): Promise<FailureVerdict> {
    const { windowMs } = FAILURE_LIMITS[name];
    const limit = this.limitOf(name);
    const { count, resetInMs } = await this.store((kv) => kv.increment(this.key(name, subject), windowMs));
    return { over: count > limit, first: count === limit + 1, retryMs: resetInMs };
  }

  /** Counts one outcome of the current request's client address (the one client-address rule). */
  countForClient(name: OutcomeBudget): Promise<FailureVerdict> {
    return this.count(name, clientAddress());
  }

  /**
   * Takes one of `subject`'s slots before the work whose success uses it (a signup): 429 RATE_LIMITED when none is
   * left. Taking and checking are one atomic increment, so a burst of parallel requests gets exactly the slots left,
   * not one each for every request that checked before any counted. `release` gives the slot back when the work did
   * not succeed (a refused signup costs nothing).
   */
  async reserve(name: OutcomeBudget, subject: string): Promise<{ release(): Promise<void> }> {
    const key = this.key(name, subject);
    const { windowMs } = FAILURE_LIMITS[name];
    const { count, resetInMs } = await this.store((kv) => kv.increment(key, windowMs));
    if (count > this.limitOf(name)) {
      await this.giveBack(key, windowMs);
      throw rateLimited(resetInMs);
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.giveBack(key, windowMs);
      },
    };
  }

  reserveForClient(name: OutcomeBudget): Promise<{ release(): Promise<void> }> {
    return this.reserve(name, clientAddress());
  }

  /** Undoes one increment; when the window ended meanwhile (a new, empty counter), leaves that counter at 0. */
  private async giveBack(key: string, windowMs: number): Promise<void> {
    const { count } = await this.store((kv) => kv.increment(key, windowMs, -1));
    if (count < 0) await this.store((kv) => kv.increment(key, windowMs, 1));
  }

  /** 429 RATE_LIMITED (Retry-After: the rest of the window) when `subject` has used up the budget; counts nothing. */
  async refuseIfOver(name: OutcomeBudget, subject: string): Promise<void> {
    const key = this.key(name, subject);
    const used = Number((await this.store((kv) => kv.get(key))) ?? 0);
    if (used < this.limitOf(name)) return;
    // Adding 0 reads the window's remaining time (the key exists: it holds the count).
    const { resetInMs } = await this.store((kv) => kv.increment(key, FAILURE_LIMITS[name].windowMs, 0));
    throw rateLimited(resetInMs);
  }

  refuseClientIfOver(name: OutcomeBudget): Promise<void> {
    return this.refuseIfOver(name, clientAddress());
  }

  private limitOf(name: OutcomeBudget): number {
    const policy: OutcomePolicy = FAILURE_LIMITS[name];
    return policy.scaled ? Math.max(1, Math.round(policy.limit * this.scale)) : policy.limit;
  }

  private key(name: OutcomeBudget, subject: string): string {
    return `fl:${name}:${subject}`;
  }

  private store<T>(op: (kv: KeyValueStore) => Promise<T>): Promise<T> {
    return op(this.kv).then(
      (v) => {
        this.storeDown = false;
        return v;
      },
      (e: Error) => {
        // Once per outage, not once per call.
        if (!this.storeDown) this.logger.warn(`outcome counter store unavailable, counting in this process until it answers: ${e.message}`);
        this.storeDown = true;
        return op(this.local);
      },
    );
  }
}

/** The request's client address as the edge middleware resolved it (an IPv6 address by its /64: see budgetSubject). */
function clientAddress(): string {
  const ip = requestContext.getStore()?.ip;
  return ip ? budgetSubject(ip) : 'unknown';
}
