import { CanActivate, ExecutionContext, Inject, Injectable, Logger, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '../../config/config.service';
import { MemoryKeyValueStore } from '../../redis/memory-twins';
import { KV_STORE, type KeyValueStore } from '../../redis/redis.interfaces';
import { AuthenticatedRequest } from '../auth/auth-user';
import { AppError } from '../errors/app-error';
import { BatchedWindowCounter } from './batched-window-counter';
import { routeMetadata } from './route-metadata';
import { requestContext } from '../request-context';

export interface RateLimitPolicy {
  /** Requests allowed per window, before RATE_LIMIT_SCALE. */
  limit: number;
  windowMs: number;
  /** Also count per account: the body field that names it (e.g. `email`). */
  accountField?: string;
  /**
   * Count in process and push to the shared store in batches (BatchedWindowCounter):
   * for the generous default limit on every route, not for the strict named ones.
   */
  batched?: boolean;
}

/** How often batched counts are pushed to the shared store. */
export const RATE_LIMIT_FLUSH_MS = 100;

/** API.md: login 5/min, signup 3/min, forgot/resend 2/min, everything else 60/min per user. */
export const RATE_LIMITS = {
  default: { limit: 60, windowMs: 60_000, batched: true },
  login: { limit: 5, windowMs: 60_000, accountField: 'email' },
  signup: { limit: 3, windowMs: 60_000 },
  emailAction: { limit: 2, windowMs: 60_000, accountField: 'email' },
} satisfies Record<string, RateLimitPolicy>;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** 429 RATE_LIMITED with Retry-After (whole seconds, at least 1). */
export function rateLimited(retryMs: number): AppError {
  const seconds = String(Math.max(1, Math.ceil(retryMs / 1000)));
  return new AppError(429, 'RATE_LIMITED', `Too many requests; retry in ${seconds} s`, undefined, { 'Retry-After': seconds });
}

const RATE_LIMIT = 'cv:rate-limit';
const SKIP = 'skip';

/** Selects a named policy for a route (instead of the default). */
export const RateLimit = (name: RateLimitName): MethodDecorator & ClassDecorator => SetMetadata(RATE_LIMIT, name);
/** For probes and server-to-server callbacks. */
export const SkipRateLimit = (): MethodDecorator & ClassDecorator => SetMetadata(RATE_LIMIT, SKIP);

/**
 * Fixed-window limits in Redis (or its twin), so every instance shares them.
 * Keyed by user when authenticated, by IP otherwise, and additionally by
 * account for policies that name one. Over the limit: 429 with Retry-After.
 * If the store is down, requests are counted by an in-process limiter
 * instead (the same windows, per instance): failing closed would turn a
 * cache outage into a full outage, failing open would drop the login and
 * signup limits. Across N instances the limit is then up to N times looser
 * until the store answers again, which the guard notices by itself.
 *
 * The default policy is counted in process and pushed in batches (see
 * BatchedWindowCounter), so most requests pass this guard synchronously
 * instead of waiting for a store round trip; the strict named policies
 * (login, signup, e-mail actions) go to the store on every request.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger(RateLimitGuard.name);
  private readonly batched: BatchedWindowCounter;
  /** Counts while the shared store is unreachable. */
  private readonly local = new MemoryKeyValueStore();
  private storeDownSince: number | null = null;

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    @Inject(KV_STORE) private readonly kv: KeyValueStore,
  ) {
    this.batched = new BatchedWindowCounter(kv, RATE_LIMIT_FLUSH_MS, (e) => this.storeDown(e));
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const name = routeMetadata<RateLimitName | typeof SKIP>(this.reflector, RATE_LIMIT, context) ?? 'default';
    if (name === SKIP) return true;
    const policy: RateLimitPolicy = RATE_LIMITS[name];
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const limit = Math.max(1, Math.round(policy.limit * this.config.values.rateLimitScale));
    // The client address as the edge middleware resolved it for this request (Express' `req.ip` getter
    // re-runs the trust-proxy resolution on every read); `req.ip` outside a request context.
    const key = req.user ? `rl:${name}:u:${req.user.id}` : `rl:${name}:ip:${requestContext.getStore()?.ip ?? req.ip ?? 'unknown'}`;
    const keys = [key];
    const account = policy.accountField ? (req.body as Record<string, unknown> | undefined)?.[policy.accountField] : undefined;
    if (typeof account === 'string' && account.length <= 320) keys.push(`rl:${name}:acct:${account.trim().toLowerCase()}`);
    if (policy.batched && keys.length === 1) {
      let hit: ReturnType<BatchedWindowCounter['hit']>;
      try {
        hit = this.batched.hit(key, policy.windowMs);
      } catch (e) {
        this.storeDown(e as Error);
        return this.count(this.local, keys, policy.windowMs, limit);
      }
      if (!(hit instanceof Promise)) return this.verdict(hit.count > limit ? hit.resetInMs : 0);
      return hit.then(
        (h) => this.storeUp(this.verdict(h.count > limit ? h.resetInMs : 0)),
        (e: Error) => {
          this.storeDown(e);
          return this.count(this.local, keys, policy.windowMs, limit);
        },
      );
    }
    return this.count(this.kv, keys, policy.windowMs, limit).then(
      (ok) => this.storeUp(ok),
      (e: unknown) => {
        if (e instanceof AppError) throw e;
        this.storeDown(e as Error);
        return this.count(this.local, keys, policy.windowMs, limit);
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

  private verdict(retryMs: number): true {
    if (retryMs > 0) throw rateLimited(retryMs);
    return true;
  }

  /** Counts one hit on every key; over the limit on any → 429 with the longest wait. */
  private async count(store: KeyValueStore, keys: string[], windowMs: number, limit: number): Promise<boolean> {
    let retryMs = 0;
    for (const k of keys) {
      const { count, resetInMs } = await store.increment(k, windowMs);
      if (count > limit) retryMs = Math.max(retryMs, resetInMs);
    }
    return this.verdict(retryMs);
  }
}
