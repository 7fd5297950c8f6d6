import type { Type } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA } from '@nestjs/common/constants';
import type { Request, RequestHandler, Response } from 'express';
import { STEP_UP_REQUIRED } from '../../auth/step-up/requires-step-up.decorator';
import { AUTH_REQUIREMENT, type AuthenticatedRequest } from '../auth/auth-user';
import type { RateLimitGuard } from '../guards/rate-limit.guard';
import { type CachedJson, sendCachedJson } from './cached-json';

/** A public GET whose body is serialised once per tick, answered by the lane (see publicReadLane). */
export interface PublicRead {
  /** The Nest route it answers for: its controller and handler method (their decorators give its rate limit). */
  controller: Type<unknown>;
  method: string;
  /** The body, when it is at hand without waiting; undefined: Nest's route answers this request. */
  cached(): CachedJson | undefined;
}

/**
 * The hot public reads (`GET /api/crypto`) answered as an Express route registered after the edge middleware and
 * before Nest's routes, for the same path: Nest's router, its guard chain and its promises were a fifth of such a
 * request's CPU (issue 22, bench/RESULTS.md). What the edge gives every request is unchanged (request id, security
 * headers, CORS, the request context, the log line, the metrics, where `req.route.path` is the same path), and the
 * route keeps its rate limit: RateLimitGuard counts the request as it would (admitPublicRead).
 *
 * Anything else goes to Nest's route as before (`next()`): a body not at hand (it is being read again), a request over
 * its limit or whose count waits for the shared store (refused or admitted there on the count made here, with the
 * exception filter's 429), or a route whose counting is not the default one-key policy.
 *
 * Only for a route none of the other global guards acts on: no `@Authenticated()` requirement (JwtAuthGuard, RolesGuard),
 * no step-up, a GET (CsrfGuard lets safe methods through), and no guards, interceptors or pipes of its own; checked
 * here when the lane is built. A global interceptor (none today: see AppModule) would also have to be applied here.
 */
export function publicReadLane(read: PublicRead, limits: RateLimitGuard): RequestHandler {
  const handler = (read.controller.prototype as Record<string, unknown>)[read.method];
  if (typeof handler !== 'function') throw new Error(`publicReadLane: ${read.controller.name} has no method ${read.method}`);
  for (const key of [AUTH_REQUIREMENT, STEP_UP_REQUIRED, GUARDS_METADATA, INTERCEPTORS_METADATA, PIPES_METADATA]) {
    if (Reflect.getMetadata(key, handler) !== undefined || Reflect.getMetadata(key, read.controller) !== undefined) {
      throw new Error(
        `publicReadLane: ${read.controller.name}.${read.method} has ${key} metadata; only a public route with nothing of its own can take the lane`,
      );
    }
  }
  return function publicRead(req: Request, res: Response, next: (err?: unknown) => void): void {
    const json = read.cached();
    if (json && limits.admitPublicRead(read.controller, handler, req as AuthenticatedRequest)) sendCachedJson(res, json);
    else next();
  };
}
