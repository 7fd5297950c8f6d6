import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser, Role } from '../common/auth/auth-user';
import { AppError, forbidden, unauthenticated } from '../common/errors/app-error';
import { KV_STORE, type KeyValueStore } from '../redis/redis.interfaces';
import { ACCESS_TOKEN_TTL_SECONDS } from './auth.constants';
import { UserAuthCache } from './user-auth-cache';

interface AccessPayload {
  sub: string;
  email: string;
  role: Role;
  sid: string;
  jti: string;
  typ: 'access';
  iat: number;
  exp: number;
}

const revokedJtiKey = (jti: string) => `auth:revoked:jti:${jti}`;
const revokedSessionKey = (sid: string) => `auth:revoked:sid:${sid}`;

/**
 * Access tokens: HS256 JWTs of 15 minutes, `typ: access`. Revocation (of one
 * token at logout, of a whole session) lives in Redis with a TTL equal to the
 * longest remaining token lifetime, so every instance honours it.
 */
@Injectable()
export class AccessTokenService {
  private readonly logger = new Logger(AccessTokenService.name);

  constructor(
    private readonly jwt: JwtService,
    @Inject(KV_STORE) private readonly kv: KeyValueStore,
    @InjectDataSource() private readonly dataSource: DataSource,
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
   * Costs one Redis EXISTS (of both revocation keys) and, when the user's state is not cached
   * ({@link UserAuthCache}), one primary-key SELECT, run in parallel.
   */
  async authenticate(token: string): Promise<AuthUser> {
    let payload: AccessPayload;
    try {
      payload = await this.jwt.verifyAsync<AccessPayload>(token, { algorithms: ['HS256'] });
    } catch {
      throw unauthenticated('UNAUTHENTICATED', 'The access token is invalid or expired');
    }
    if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.jti !== 'string') {
      throw unauthenticated('UNAUTHENTICATED', 'Not an access token');
    }
    const [revoked, state] = await Promise.all([
      this.isRevoked(payload.jti, payload.sid),
      this.users.lookup(payload.sub),
    ]);
    if (!state) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    if (revoked) throw unauthenticated('TOKEN_REVOKED', 'This session has ended; sign in again');
    if (state.suspended_at) throw forbidden('ACCOUNT_SUSPENDED', 'This account is suspended');
    // iat has whole seconds: compare at that resolution (a token from the same second as a reset dies with its session).
    if (payload.iat < Math.floor(new Date(state.tokens_valid_after).getTime() / 1000)) {
      throw unauthenticated('TOKEN_REVOKED', 'This session has ended; sign in again');
    }
    return { id: payload.sub, email: state.email, role: state.role, jti: payload.jti, sessionId: payload.sid, exp: payload.exp };
  }

  /** Refuses this one token until it would have expired anyway. */
  async revokeToken(jti: string, exp: number): Promise<void> {
    const ttlMs = exp * 1000 - Date.now();
    if (ttlMs > 0) await this.kv.set(revokedJtiKey(jti), '1', ttlMs + 1000);
  }

  /** Refuses every access token of a session (they live at most 15 minutes; the session row stays revoked for good). */
  async revokeSessionTokens(sessionId: string): Promise<void> {
    await this.kv.set(revokedSessionKey(sessionId), '1', ACCESS_TOKEN_TTL_SECONDS * 1000 + 60_000);
  }

  private async isRevoked(jti: string, sid: string): Promise<boolean> {
    try {
      return await this.kv.existsAny([revokedJtiKey(jti), revokedSessionKey(sid)]);
    } catch (e) {
      // Redis is down: fall back to the session row (logout revokes it too), never to "not revoked".
      this.logger.warn(`revocation store unavailable, checking the session in the database: ${(e as Error).message}`);
      const rows = await this.dataSource.query<{ revoked_at: Date | null }[]>('SELECT revoked_at FROM sessions WHERE id = $1', [sid]);
      if (!rows[0]) throw new AppError(401, 'TOKEN_REVOKED', 'This session has ended; sign in again');
      return rows[0].revoked_at !== null;
    }
  }
}
