import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { CSRF_COOKIE, CsrfTokens } from './csrf-tokens.service';
import { AppConfig } from '../config/config.service';
import { forbidden } from '../common/errors/app-error';
import { browserOrigin } from '../common/http/origin';
import { routeMetadata } from '../common/guards/route-metadata';

export { CSRF_COOKIE };
export const CSRF_HEADER = 'x-csrf-token';
/** Cookies whose presence makes a request "cookie-authenticated". */
export const AUTH_COOKIES = ['access_token', 'refresh_token'];
const SKIP_CSRF = 'cv:skip-csrf';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** For endpoints called by other servers, never by a browser session (webhooks). */
export const SkipCsrf = (): MethodDecorator & ClassDecorator => SetMetadata(SKIP_CSRF, true);

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Cross-site request forgery, for every state-changing request (POST, PUT,
 * PATCH, DELETE) a browser could send on its own, i.e. without an
 * Authorization header (which a page on another site cannot add):
 * 1. where the browser says it comes from (`Origin`, else `Sec-Fetch-Site`)
 *    must be the app's own origin or one on the CORS allow-list: 403
 *    ORIGIN_NOT_ALLOWED otherwise, with or without a session (so no page
 *    elsewhere can sign a browser in to an account of its choosing either);
 * 2. a cookie-authenticated request must echo the `csrf_token` cookie in the
 *    `X-CSRF-Token` header (double submit: a page elsewhere can make the
 *    browser send the cookie but cannot read it), and that token must be its
 *    session's (CsrfTokens: an HMAC of the session id), so a pair planted from
 *    another session is refused: 403 CSRF_INVALID.
 * Bodies are JSON only (415 otherwise, see requireJsonBody), so a cross-site
 * page cannot send one without a CORS preflight either.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  private readonly allowedOrigins: ReadonlySet<string>;

  constructor(
    private readonly reflector: Reflector,
    private readonly csrf: CsrfTokens,
    config: AppConfig,
  ) {
    this.allowedOrigins = new Set(config.values.corsOrigins);
  }

  /** Synchronous for the safe methods (most requests): no promise for Nest's guard chain to await. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    // getArgByIndex(0) is the request: switchToHttp() would make three closures per call.
    const req = context.getArgByIndex<Request>(0);
    if (SAFE.has(req.method)) return true;
    return this.checkStateChanging(req, context);
  }

  private async checkStateChanging(req: Request, context: ExecutionContext): Promise<boolean> {
    if (routeMetadata<boolean>(this.reflector, SKIP_CSRF, context)) return true;
    if (req.headers.authorization) return true;
    if (browserOrigin(req.headers, this.allowedOrigins) === 'foreign') {
      throw forbidden('ORIGIN_NOT_ALLOWED', "State-changing requests are accepted from this application's own pages only");
    }
    const cookies = (req.cookies ?? {}) as Record<string, string>;
    if (!AUTH_COOKIES.some((c) => cookies[c])) return true;
    const cookie = cookies[CSRF_COOKIE];
    const header = req.headers[CSRF_HEADER];
    if (typeof cookie === 'string' && typeof header === 'string' && cookie.length >= 16 && same(cookie, header)) {
      // Only the refresh cookie (POST /api/auth/refresh, Strict and scoped to /api/auth) names no session here.
      const sessionId = await this.csrf.sessionOf(req);
      if (!sessionId || this.csrf.matches(sessionId, header)) return true;
    }
    throw forbidden('CSRF_INVALID', 'Missing or invalid CSRF token: send the csrf_token cookie value in the X-CSRF-Token header (GET /api/csrf)');
  }
}
