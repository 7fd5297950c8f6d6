import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { notFound, unauthenticated } from '../common/errors/app-error';
import { requestContext } from '../common/request-context';
import { type Tx, UnitOfWork } from '../database/unit-of-work';
import { REFRESH_TOKEN_TTL_MS } from './auth.constants';
import { SessionListResponseDto } from './dto/auth-responses.dto';
import { toSessionDto } from './mappers';
import { randomToken, sha256Hex } from './secrets';
import { SessionsRepository } from './sessions.repository';
import { UserAuthCache } from './user-auth-cache';

export type SessionEndReason = 'logout' | 'revoked' | 'reuse' | 'password_change' | 'password_reset' | 'email_change' | 'suspended' | 'frozen';

type Rotation = { kind: 'ok'; userId: string; sessionId: string; refreshToken: string } | { kind: 'reused'; userId: string; sessionId: string };

/**
 * Sessions are refresh-token families: one per login, rotated on every
 * refresh. Only token hashes are stored; a rotated token is kept so its
 * reuse (a stolen copy) is recognised and ends the whole family.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: SessionsRepository,
    private readonly audit: AuditService,
    private readonly authCache: UserAuthCache,
  ) {}

  /** Opens a session for a login and returns its id and first refresh token. */
  async open(userId: string): Promise<{ sessionId: string; refreshToken: string }> {
    const ctx = requestContext.getStore();
    const refreshToken = randomToken();
    const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
    const sessionId = await this.uow.run(async (tx) => {
      const id = await this.repo.insertSession(tx, userId, { ip: ctx?.ip, userAgent: ctx?.userAgent }, expiresAt);
      await this.repo.insertRefreshToken(tx, id, sha256Hex(refreshToken), expiresAt);
      return id;
    });
    return { sessionId, refreshToken };
  }

  /**
   * Exchanges a refresh token for a new one. 401 UNAUTHENTICATED for an
   * unknown or expired token, TOKEN_REVOKED for an ended session, and
   * TOKEN_REUSED (ending the whole family) for a token already rotated.
   */
  async rotate(refreshToken: string): Promise<{ userId: string; sessionId: string; refreshToken: string }> {
    const hash = sha256Hex(refreshToken);
    const ctx = requestContext.getStore();
    const rotation = await this.uow.run(async (tx): Promise<Rotation> => {
      const row = await this.repo.lockRefreshToken(tx, hash);
      if (!row) throw unauthenticated('UNAUTHENTICATED', 'The refresh token is invalid');
      if (row.revoked_at) throw unauthenticated('TOKEN_REVOKED', 'This session has ended; sign in again');
      if (row.rotated_at) return { kind: 'reused', userId: row.user_id, sessionId: row.session_id };
      if (new Date(row.expires_at).getTime() <= Date.now()) throw unauthenticated('UNAUTHENTICATED', 'The refresh token has expired; sign in again');
      const next = randomToken();
      const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
      await this.repo.markRotated(tx, row.id);
      await this.repo.insertRefreshToken(tx, row.session_id, sha256Hex(next), expiresAt);
      await this.repo.touch(tx, row.session_id, expiresAt, { ip: ctx?.ip, userAgent: ctx?.userAgent });
      return { kind: 'ok', userId: row.user_id, sessionId: row.session_id, refreshToken: next };
    });
    if (rotation.kind === 'reused') {
      await this.end(rotation.sessionId, 'reuse');
      await this.audit.record({ action: 'auth.refresh_token_reused', userId: rotation.userId, details: { sessionId: rotation.sessionId } });
      throw unauthenticated('TOKEN_REUSED', 'This refresh token was already used; the session has been ended for safety');
    }
    return rotation;
  }

  /** Ends one session: its refresh and access tokens stop working at once (AccessTokenService reads the row). */
  async end(sessionId: string, reason: SessionEndReason): Promise<void> {
    for (const userId of await this.repo.end(sessionId, reason)) this.authCache.forget(userId);
  }

  /** Ends every session of a user (password reset, suspension), optionally keeping one (password change). */
  async endAllForUser(userId: string, reason: SessionEndReason, exceptSessionId?: string): Promise<number> {
    const ended = await this.repo.endAllForUser(userId, reason, exceptSessionId);
    this.authCache.forget(userId);
    return ended;
  }

  /** Ends every session of a user inside `tx` (a freeze); call `forgetUser` after the commit. */
  endAllForUserIn(tx: Tx, userId: string, reason: SessionEndReason): Promise<number> {
    return this.repo.endAllForUser(userId, reason, undefined, tx);
  }

  /** After a commit that changed a user's sessions or standing: every instance re-reads them. */
  forgetUser(userId: string): void {
    this.authCache.forget(userId);
  }

  /** Where the user's other sessions were opened or last used from (to tell a sign-in from a new device or network). */
  knownOrigins(userId: string, exceptSessionId: string): Promise<{ userAgent: string | null; ip: string | null }[]> {
    return this.repo.knownOrigins(userId, exceptSessionId).then((rows) => rows.map((r) => ({ userAgent: r.user_agent, ip: r.ip })));
  }

  async list(userId: string, currentSessionId: string): Promise<SessionListResponseDto> {
    const sessions = await this.repo.listLive(userId);
    return { sessions: sessions.map((s) => toSessionDto(s, currentSessionId)) };
  }

  /** Revokes one of the caller's sessions; another user's (or an ended) session is 404. */
  async revokeOwn(userId: string, sessionId: string): Promise<void> {
    if (!(await this.repo.revokeOwn(userId, sessionId))) throw notFound('No such active session');
    this.authCache.forget(userId);
    await this.audit.record({ action: 'auth.session_revoked', userId, details: { sessionId } });
  }
}
