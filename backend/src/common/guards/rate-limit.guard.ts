import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerOptions,
} from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/auth-user';
import { AppError } from '../errors/app-error';
import { requestContext } from '../request-context';
import { RateLimitStorage, type ThrottlerStorageRecord } from './rate-limit.storage';

export interface RateLimitPolicy {
  /** Requests allowed per window and caller (a user, else a client address), before RATE_LIMIT_SCALE. */
  limit: number;
  /** The window, in milliseconds (@nestjs/throttler's `ttl`). */
  ttl: number;
  /** Also count per account: the body field that names it (e.g. `email`) and the account's own limit per window. */
  account?: { field: string; limit: number };
  /** Count in process and push to the shared store in batches (RateLimitStorage.incrementBatched): for the generous default only. */
  batched?: boolean;
  /**
   * Requests signed with API keys: besides each key's own `limit`, all of one user's keys together get at most this
   * many per window (`rl:<throttler>:ku:<user id>`), so that making more keys does not multiply a user's budget.
   */
  apiKeyUser?: number;
}

/**
 * API.md: mails on request (forgot password, resend verification, email change) 2/min per address mailed and 20/min
 * per client address, step-up 10/min per user, everything else 60/min per user (or client address when signed out).
 * Sign-in, verification and signup are not counted per request but per outcome (FAILURE_LIMITS: failed credentials,
 * accepted signups; `@LimitedByOutcomes`), so that honest users behind one NAT do not refuse each other.
 * One named throttler each (ThrottlerModule, see RateLimitModule). A route counts in the
 * `default` one unless it names another with `@Throttle({ emailAction: {} })` (`{}`: the
 * throttler's own limit and window); `@SkipThrottle()` exempts it.
 */
export const RATE_LIMITS = {
  default: { limit: 60, ttl: 60_000, batched: true, apiKeyUser: 100 },
  emailAction: { limit: 20, ttl: 60_000, account: { field: 'email', limit: 2 } },
  stepUp: { limit: 10, ttl: 60_000 },
} satisfies Record<string, RateLimitPolicy>;

export type RateLimitName = keyof typeof RATE_LIMITS;

/** ThrottlerModule's throttlers: one per policy, its limit scaled by RATE_LIMIT_SCALE (at least 1). */
export function rateLimitThrottlers(scale: number): ThrottlerOptions[] {
  return Object.entries(RATE_LIMITS).map(([name, policy]) => ({ name, ttl: policy.ttl, limit: Math.max(1, Math.round(policy.limit * scale)) }));
}

/** 429 RATE_LIMITED with Retry-After (whole seconds, at least 1), and the wait in the message, in words a person reads. */
export function rateLimited(retryMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryMs / 1000));
  const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return new AppError(429, 'RATE_LIMITED', `Too many attempts. Please try again in ${seconds === 1 ? '1 second' : wait}.`, undefined, {
    'Retry-After': String(seconds),
  });
}

/** The metadata keys `@Throttle` and `@SkipThrottle` write (@nestjs/throttler's, not exported by it; checked by rate-limit.guard.spec). */
export const THROTTLER_METADATA = { limit: 'THROTTLER:LIMIT', ttl: 'THROTTLER:TTL', skip: 'THROTTLER:SKIP' } as const;

/** A counter's key: readable, and shared by every route of a throttler (a user's 60 a minute are across the API). */
function rateLimitKey(throttlerName: string, tracker: string): string {
  return `rl:${throttlerName}:${tracker}`;
}

/** A guard's "let it through", made once. */
const PASSED: Promise<boolean> = Promise.resolve(true);

/** What a route counts in: its throttler with the limit and window in force, or null (skipped). */
interface RouteLimit {
  name: string;
  limit: number;
  /** The per-account limit in force (RATE_LIMIT_SCALE applied), for policies that count per account. */
  accountLimit: number;
  /** The ceiling of one user's API keys together (RATE_LIMIT_SCALE applied), for policies that have one. */
  apiKeyUserLimit?: number;
  ttl: number;
  policy: RateLimitPolicy;
}

/**
 * @nestjs/throttler's guard with this app's keys and one throttler per route.
 * Keyed by API key for a request signed with one (`rl:<throttler>:k:<key id>`,
 * and all of its owner's keys together: `rl:<throttler>:ku:<user id>`, where the
 * policy has `apiKeyUser`), by user when authenticated otherwise (`rl:<throttler>:u:<id>`), by client
 * address otherwise (`rl:<throttler>:ip:<address>`, the one client-address
 * rule, as the edge middleware resolved it), and additionally by account for
 * policies that name one (`rl:<throttler>:acct:<email>`): counted on every key,
 * over the limit on any → 429 RATE_LIMITED in the one error shape, with
 * Retry-After (the longest wait). No X-RateLimit-* headers.
 *
 * The library's guard runs every throttler on every route; here a route counts
 * in one (see RATE_LIMITS), resolved once per route from its decorators.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** controller class → handler → its limit (null: skipped). */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteLimit | null>>();
  private byName = new Map<string, ThrottlerOptions>();
  /** Requests the public-read lane counted without answering them (see admitPublicRead): canActivate uses that count. */
  private readonly preCounted = new WeakMap<object, ThrottlerStorageRecord | Promise<ThrottlerStorageRecord>>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() private readonly storage: RateLimitStorage,
    reflector: Reflector,
  ) {
    super(options, storage, reflector);
  }

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.byName = new Map(this.throttlers.map((t) => [t.name as string, t]));
  }

  /**
   * Not `async`: a request of the batched default policy whose window this process already knows is counted
   * synchronously, and then this answers with one promise made once (PASSED) instead of an async function's.
   */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return PASSED;
    const route = this.routeLimit(context.getClass(), context.getHandler());
    if (!route) return PASSED;
    // getArgByIndex(0) is the request: switchToHttp() would make three closures per call.
    const req = context.getArgByIndex<AuthenticatedRequest>(0);
    if (this.oneBatchedKey(route, req)) {
      // The one key of the default policy (no account, no API-key ceiling): synchronous when the window is known here.
      const key = this.generateKey(context, this.trackerOf(req), route.name);
      const counted = this.preCounted.get(req) ?? this.storage.incrementBatched(key, route.ttl, route.limit);
      if (!(counted instanceof Promise)) return counted.isBlocked ? this.refuse(context, route, key, counted) : PASSED;
      return counted.then((hit) => (hit.isBlocked ? this.refuse(context, route, key, hit) : true));
    }
    return this.countAll(context, route, req);
  }

  /**
   * For the public-read lane (common/http/public-read-lane.ts), which answers a few public GETs before Nest's router:
   * counts the request as canActivate would for the route `handler` of `controller` stands for, and says whether it
   * may be answered at once (counted synchronously, within the limit; or a route exempt from rate limits). When not (over
   * the limit, the shared store's answer pending, or a route whose counting is not the default policy's one key), it
   * returns false and the lane hands the request to Nest's route, whose pass through canActivate refuses or admits it
   * on the count made here (no second count).
   */
  admitPublicRead(controller: object, handler: object, req: AuthenticatedRequest): boolean {
    const route = this.routeLimit(controller, handler);
    if (!route) return true;
    if (!this.oneBatchedKey(route, req)) return false;
    const counted = this.storage.incrementBatched(rateLimitKey(route.name, this.trackerOf(req)), route.ttl, route.limit);
    if (!(counted instanceof Promise) && !counted.isBlocked) return true;
    this.preCounted.set(req, counted);
    return false;
  }

  /** Whether the route counts a request on one key only, its own, in process (the default policy, no account, no API-key ceiling). */
  private oneBatchedKey(route: RouteLimit, req: AuthenticatedRequest): boolean {
    return route.policy.batched === true && !route.policy.account && !(req.user?.apiKey && route.apiKeyUserLimit);
  }

  private async refuse(context: ExecutionContext, route: RouteLimit, key: string, hit: ThrottlerStorageRecord): Promise<boolean> {
    await this.throwThrottlingException(context, this.detail(route, key, hit));
    return false;
  }

  private async countAll(context: ExecutionContext, route: RouteLimit, req: AuthenticatedRequest): Promise<boolean> {
    const key = this.generateKey(context, this.trackerOf(req), route.name);
    const field = route.policy.account?.field;
    const account = field ? (req.body as Record<string, unknown> | undefined)?.[field] : undefined;
    const keys: [string, number][] = [[key, route.limit]];
    if (typeof account === 'string' && account.length <= 320)
      keys.push([this.generateKey(context, `acct:${account.trim().toLowerCase()}`, route.name), route.accountLimit]);
    if (req.user?.apiKey && route.apiKeyUserLimit) keys.push([this.generateKey(context, `ku:${req.user.id}`, route.name), route.apiKeyUserLimit]);
    let longest: ThrottlerStorageRecord | undefined;
    for (const [k, limit] of keys) {
      // Batched: synchronous once the key's window is known in this process (no store round trip, no extra await).
      const counted = route.policy.batched ? this.storage.incrementBatched(k, route.ttl, limit) : this.storage.increment(k, route.ttl, limit);
      const hit = counted instanceof Promise ? await counted : counted;
      if (hit.isBlocked && (!longest || hit.timeToBlockExpire > longest.timeToBlockExpire)) longest = hit;
    }
    if (longest) await this.throwThrottlingException(context, this.detail(route, key, longest));
    return true;
  }

  /** The caller (@nestjs/throttler's tracker): the user when authenticated (JwtAuthGuard ran first), else the client address. */
  protected override getTracker(req: AuthenticatedRequest): Promise<string> {
    return Promise.resolve(this.trackerOf(req));
  }

  /** Readable keys shared by every route of a throttler (a user's 60 a minute are across the API), as in Redis today. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return rateLimitKey(throttlerName, tracker);
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw rateLimited(detail.timeToBlockExpire * 1000);
  }

  private trackerOf(req: AuthenticatedRequest): string {
    // The address as the edge middleware resolved it for this request (Express' `req.ip` getter re-runs
    // the trust-proxy resolution on every read); `req.ip` outside a request context.
    // An API key counts on its own (`k:<key id>`), apart from the sessions, and with its owner's other keys (canActivate).
    if (req.user?.apiKey) return `k:${req.user.apiKey.id}`;
    return req.user ? `u:${req.user.id}` : `ip:${requestContext.getStore()?.ip ?? req.ip ?? 'unknown'}`;
  }

  private detail(route: RouteLimit, key: string, hit: ThrottlerStorageRecord): ThrottlerLimitDetail {
    return { ...hit, limit: route.limit, ttl: route.ttl, key, tracker: key };
  }

  private routeLimit(cls: object, handler: object): RouteLimit | null {
    let byHandler = this.routes.get(cls);
    if (!byHandler) this.routes.set(cls, (byHandler = new WeakMap()));
    let route = byHandler.get(handler);
    if (route === undefined) byHandler.set(handler, (route = this.resolveRoute(handler, cls)));
    return route;
  }

  /** The throttler a route names with `@Throttle` (else `default`), with the route's own limit/ttl if it gives them. */
  private resolveRoute(handler: object, cls: object): RouteLimit | null {
    const targets = [handler, cls];
    const declared = (key: string): boolean => targets.some((t) => Reflect.hasMetadata(key, t));
    const name = Object.keys(RATE_LIMITS).find((n) => n !== 'default' && declared(THROTTLER_METADATA.ttl + n)) ?? 'default';
    if (this.reflector.getAllAndOverride<boolean>(THROTTLER_METADATA.skip + name, targets as never)) return null;
    const throttler = this.byName.get(name);
    if (!throttler) throw new Error(`no "${name}" throttler in ThrottlerModule's options`);
    const limit = this.reflector.getAllAndOverride<number>(THROTTLER_METADATA.limit + name, targets as never) ?? (throttler.limit as number);
    const ttl = this.reflector.getAllAndOverride<number>(THROTTLER_METADATA.ttl + name, targets as never) ?? (throttler.ttl as number);
    const policy: RateLimitPolicy = RATE_LIMITS[name as RateLimitName];
    // The account's limit scales as the throttler's own (rateLimitThrottlers) did.
    const scaled = (n: number): number => Math.max(1, Math.round((n * (throttler.limit as number)) / policy.limit));
    const accountLimit = policy.account ? scaled(policy.account.limit) : limit;
    const apiKeyUserLimit = policy.apiKeyUser ? scaled(policy.apiKeyUser) : undefined;
    return { name, limit, accountLimit, apiKeyUserLimit, ttl, policy };
  }
}
