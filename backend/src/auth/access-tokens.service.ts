import { Injectable } from '@nestjs/common';
import { isUuid } from '../common/pipes/id.pipes';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import type { AuthUser, Role } from '../common/auth/auth-user';
import { forbidden, unauthenticated } from '../common/errors/app-error';
import { ACCESS_TOKEN_TTL_SECONDS } from './auth.constants';
import { UserAuthCache } from './user-auth-cache';

/** The claims of an access token. */
export interface AccessPayload {
  sub: string;
  email: string;
  role: Role;
  sid: string;
  jti: string;
  typ: 'access';
  iat: number;
  exp: number;
}

/** Access tokens live 15 minutes; this bounds the memory of remembered ones (about 4 MB). */
const VERIFIED_TOKENS_LIMIT = 10_000;

/**
 * Access tokens: HS256 JWTs of 15 minutes, `typ: access`, each naming its
 * session. Revocation lives in PostgreSQL: logout, session revocation,
 * suspension and password resets mark the session row (or the user's
 * `tokens_valid_after`), and every check reads them in the same primary-key
 * query as the user. So every instance honours a revocation at once, and a
 * Redis outage or restart (which loses keys) can never bring a revoked token
 * back: revocation fails closed without depending on the cache.
 */
@Injectable()
export class AccessTokenService {
  /** Tokens whose signature this process verified, with their payloads (see `verified`). */
  private readonly verifiedTokens = new Map<string, AccessPayload>();

  constructor(
    private readonly jwt: JwtService,
    private readonly users: UserAuthCache,
  ) {}

  async issue(user: { id: string; email: string; role: Role }, sessionId: string): Promise<{ token: string; expiresIn: number }> {
    const payload = { sub: user.id, email: user.email, role: user.role, sid: sessionId, jti: randomUUID(), typ: 'access' as const };
    const token = await this.jwt.signAsync(payload, { expiresIn: ACCESS_TOKEN_TTL_SECONDS });
    return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /**
   * Who a token proves the caller is, or an AppError: 401 UNAUTHENTICATED (bad,
   * expired, not an access token), 401 TOKEN_REVOKED (logged out, session
   * revoked, issued before a password reset), 403 ACCOUNT_SUSPENDED.
   * Costs no query when the user's session is cached ({@link UserAuthCache}), else one
   * (the user and the session by primary key). HTTP requests reach the same
   * checks through passport (JwtStrategy: `remembered`, `remember`, `authorize`).
   */
  async authenticate(token: string): Promise<AuthUser> {
    return this.authorize(await this.verified(token));
  }

  /**
   * Whether the token's session and user still allow it (the revocation check): the
   * caller, or 401 UNAUTHENTICATED / TOKEN_REVOKED, 403 ACCOUNT_SUSPENDED. `payload`
   * is a verified access token's (see `verified`, `remember`).
   */
  async authorize(payload: AccessPayload): Promise<AuthUser> {
    const state = await this.users.lookup(payload.sub, payload.sid);
    if (!state) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    if (!state.session_found || state.session_revoked_at) throw unauthenticated('TOKEN_REVOKED', 'This session has ended; sign in again');
    if (state.suspended_at) throw forbidden('ACCOUNT_SUSPENDED', 'This account is suspended');
    // iat has whole seconds: compare at that resolution (a token from the same second as a reset dies with its session).
    if (payload.iat < Math.floor(new Date(state.tokens_valid_after).getTime() / 1000)) {
      throw unauthenticated('TOKEN_REVOKED', 'This session has ended; sign in again');
    }
    return {
      id: payload.sub,
      email: state.email,
      role: state.role,
      twoFactor: state.two_factor_on,
      jti: payload.jti,
      sessionId: payload.sid,
      exp: payload.exp,
    };
  }

  /**
   * The session a well-formed, unexpired access token names (its signature checked;
   * revocation not: callers that act for the session authenticate it first), or undefined.
   */
  async sessionOf(token: string): Promise<string | undefined> {
    try {
      return (await this.verified(token)).sid;
    } catch {
      return undefined;
    }
  }

  /**
   * The payload of a token whose signature this process verified before, while it
   * has not expired: the same bytes verify the same way every time, only the clock
   * moves, so a request with a remembered token checks its expiry and skips the
   * HMAC and the parsing. Revocation is not decided here (see `authorize`).
   */
  remembered(token: string): AccessPayload | undefined {
    const known = this.verifiedTokens.get(token);
    if (!known) return undefined;
    if (Math.floor(Date.now() / 1000) < known.exp) return known;
    this.verifiedTokens.delete(token);
    return undefined;
  }

  /**
   * Remembers a token whose signature and expiry were just verified (HS256, this
   * service's key), after checking that it is an access token: 401 UNAUTHENTICATED
   * "Not an access token" otherwise.
   */
  remember(token: string, payload: AccessPayload): AccessPayload {
    if (payload.typ !== 'access' || !isUuid(payload.sub) || !isUuid(payload.sid) || typeof payload.jti !== 'string' || typeof payload.exp !== 'number') {
      throw unauthenticated('UNAUTHENTICATED', 'Not an access token');
    }
    if (this.verifiedTokens.size >= VERIFIED_TOKENS_LIMIT) this.verifiedTokens.clear();
    this.verifiedTokens.set(token, payload);
    return payload;
  }

  /** The payload of a well-formed, unexpired access token (remembered, or verified now and remembered). */
  private async verified(token: string): Promise<AccessPayload> {
    const known = this.remembered(token);
    if (known) return known;
    let payload: AccessPayload;
    try {
      payload = await this.jwt.verifyAsync<AccessPayload>(token, { algorithms: ['HS256'] });
    } catch {
      throw unauthenticated('UNAUTHENTICATED', 'The access token is invalid or expired');
    }
    return this.remember(token, payload);
  }
}
