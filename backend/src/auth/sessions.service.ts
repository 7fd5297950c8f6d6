import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { notFound, unauthenticated } from '../common/errors/app-error';
import { requestContext } from '../common/request-context';
import { queryRows } from '../database/rows';
import { inTransaction } from '../database/transaction';
import { REFRESH_TOKEN_TTL_MS } from './auth.constants';
import { SessionListResponseDto } from './dto/auth-responses.dto';
import { SessionEntity } from './entities/session.entity';
import { toSessionDto } from './mappers';
import { randomToken, sha256Hex } from './secrets';
import { UserAuthCache } from './user-auth-cache';

export type SessionEndReason = 'logout' | 'revoked' | 'reuse' | 'password_change' | 'password_reset' | 'suspended';

interface RefreshRow {
  id: string;
  session_id: string;
  user_id: string;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

type Rotation = { kind: 'ok'; userId: string; sessionId: string; refreshToken: string } | { kind: 'reused'; userId: string; sessionId: string };

/**
 * Sessions are refresh-token families: one per login, rotated on every
 * refresh. Only token hashes are stored; a rotated token is kept so its
 * reuse (a stolen copy) is recognised and ends the whole family.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly authCache: UserAuthCache,
  ) {}

  /** Opens a session for a login and returns its id and first refresh token. */
  async open(userId: string): Promise<{ sessionId: string; refreshToken: string }> {
    const ctx = requestContext.getStore();
    const refreshToken = randomToken();
    const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
    const sessionId = await inTransaction(this.dataSource, async (em) => {
      const [row] = await em.query<{ id: string }[]>(
        'INSERT INTO sessions (user_id, user_agent, ip, expires_at) VALUES ($1, $2, $3, $4) RETURNING id',
        [userId, ctx?.userAgent?.slice(0, 300) ?? null, ctx?.ip?.slice(0, 64) ?? null, expiresAt],
      );
      await em.query('INSERT INTO refresh_tokens (session_id, token_hash, expires_at) VALUES ($1, $2, $3)', [row.id, sha256Hex(refreshToken), expiresAt]);
      return row.id;
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
    const rotation = await inTransaction(this.dataSource, async (em): Promise<Rotation> => {
      const [row] = await em.query<RefreshRow[]>(
        `SELECT rt.id, rt.session_id, s.user_id, rt.expires_at, rt.rotated_at, s.revoked_at
           FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
          WHERE rt.token_hash = $1
          FOR UPDATE OF rt`,
        [hash],
      );
      if (!row) throw unauthenticated('UNAUTHENTICATED', 'The refresh token is invalid');
      if (row.revoked_at) throw unauthenticated('TOKEN_REVOKED', 'This session has ended; sign in again');
      if (row.rotated_at) return { kind: 'reused', userId: row.user_id, sessionId: row.session_id };
      if (new Date(row.expires_at).getTime() <= Date.now()) throw unauthenticated('UNAUTHENTICATED', 'The refresh token has expired; sign in again');
      const next = randomToken();
      const expiresAt = new Date(Date.now() + REFRESH_TOKEN_TTL_MS);
      await em.query('UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1', [row.id]);
      await em.query('INSERT INTO refresh_tokens (session_id, token_hash, expires_at) VALUES ($1, $2, $3)', [row.session_id, sha256Hex(next), expiresAt]);
      await em.query('UPDATE sessions SET last_used_at = now(), expires_at = $2, ip = COALESCE($3, ip), user_agent = COALESCE($4, user_agent) WHERE id = $1', [
        row.session_id,
        expiresAt,
        ctx?.ip?.slice(0, 64) ?? null,
        ctx?.userAgent?.slice(0, 300) ?? null,
      ]);
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
    const rows = await queryRows<{ user_id: string }>(this.dataSource,
      'UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING user_id',
      [sessionId, reason],
    );
    for (const r of rows) this.authCache.forget(r.user_id);
  }

  /** Ends every session of a user (password reset, suspension), optionally keeping one (password change). */
  async endAllForUser(userId: string, reason: SessionEndReason, exceptSessionId?: string): Promise<number> {
    const rows = await queryRows<{ id: string }>(this.dataSource,
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
        WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)
        RETURNING id`,
      [userId, reason, exceptSessionId ?? null],
    );
    this.authCache.forget(userId);
    return rows.length;
  }

  async list(userId: string, currentSessionId: string): Promise<SessionListResponseDto> {
    const sessions = await this.dataSource.getRepository(SessionEntity)
      .createQueryBuilder('s')
      .where('s.user_id = :userId AND s.revoked_at IS NULL AND s.expires_at > now()', { userId })
      .orderBy('s.last_used_at', 'DESC')
      .getMany();
    return { sessions: sessions.map((s) => toSessionDto(s, currentSessionId)) };
  }

  /** Revokes one of the caller's sessions; another user's (or an ended) session is 404. */
  async revokeOwn(userId: string, sessionId: string): Promise<void> {
    const rows = await queryRows<{ id: string }>(this.dataSource,
      `UPDATE sessions SET revoked_at = now(), revoked_reason = 'revoked'
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
      [sessionId, userId],
    );
    if (!rows.length) throw notFound('No such active session');
    this.authCache.forget(userId);
    await this.audit.record({ action: 'auth.session_revoked', userId, details: { sessionId } });
  }
}
