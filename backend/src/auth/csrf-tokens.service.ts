import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthenticatedRequest } from '../common/auth/auth-user';
import { AppConfig } from '../config/config.service';
import { AccessTokenService } from './access-tokens.service';
import { ACCESS_COOKIE } from './auth.constants';

/** The cookie the client reads and echoes in the header (double submit). */
export const CSRF_COOKIE = 'csrf_token';
const WELL_FORMED = /^[A-Za-z0-9_-]{32,64}$/;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * CSRF tokens bound to the session: a signed-in browser's token is the HMAC
 * of its session id under a server key (derived from JWT_SECRET), so a token
 * is worth nothing for any other session. Someone who can plant cookies in
 * the victim's browser (a sibling subdomain, a network attacker on http) and
 * who holds a valid pair of their own (their own session's) still cannot
 * forge the victim's. Before sign-in (login, signup) the token is random: the
 * requests it accompanies carry no session to ride on, and are protected by
 * JSON-only bodies and the Origin check (see CsrfGuard).
 */
@Injectable()
export class CsrfTokens {
  private readonly key: Buffer;

  constructor(
    config: AppConfig,
    private readonly tokens: AccessTokenService,
  ) {
    this.key = createHmac('sha256', config.values.jwtSecret).update('cryptovault csrf-token key v1').digest();
  }

  /** The one token of a session. */
  forSession(sessionId: string): string {
    return createHmac('sha256', this.key).update(sessionId).digest('base64url');
  }

  /** Whether `token` is the session's token (constant time). */
  matches(sessionId: string, token: string): boolean {
    return same(this.forSession(sessionId), token);
  }

  /** The session of a cookie-authenticated request: the guard's authenticated user, else the access_token cookie's (signature and expiry checked). */
  async sessionOf(req: Request): Promise<string | undefined> {
    const user = (req as AuthenticatedRequest).user;
    if (user?.sessionId) return user.sessionId;
    const cookie = (req.cookies as Record<string, unknown> | undefined)?.[ACCESS_COOKIE];
    return typeof cookie === 'string' && cookie ? this.tokens.sessionOf(cookie) : undefined;
  }

  /** The token a request's browser should hold: its session's, or before sign-in its current pre-session token (a new one if it has none). */
  async forRequest(req: Request): Promise<string> {
    const sessionId = await this.sessionOf(req);
    if (sessionId) return this.forSession(sessionId);
    const existing = (req.cookies as Record<string, unknown> | undefined)?.[CSRF_COOKIE];
    return typeof existing === 'string' && WELL_FORMED.test(existing) ? existing : randomBytes(32).toString('base64url');
  }

  /** The session token for a freshly issued access token (login, refresh), so the browser holds the right one at once. */
  async forAccessToken(accessToken: string): Promise<string | undefined> {
    const sessionId = await this.tokens.sessionOf(accessToken);
    return sessionId ? this.forSession(sessionId) : undefined;
  }
}
