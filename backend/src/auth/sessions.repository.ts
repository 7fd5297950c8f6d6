import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';
import type { Tx } from '../database/unit-of-work';
import type { SessionEntity } from './entities/session.entity';

/** A refresh token with its session, as a rotation reads it. */
export interface RefreshTokenRow {
  id: string;
  session_id: string;
  user_id: string;
  expires_at: Date;
  rotated_at: Date | null;
  revoked_at: Date | null;
}

/** Where a session was opened or last used from (cut to the columns' lengths here). */
export interface SessionOrigin {
  ip?: string | null;
  userAgent?: string | null;
}

const ip = (o: SessionOrigin): string | null => o.ip?.slice(0, 64) ?? null;
const userAgent = (o: SessionOrigin): string | null => o.userAgent?.slice(0, 300) ?? null;

/** The `sessions` and `refresh_tokens` tables: a session is the family of refresh tokens rotated from one login. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertSession(tx: Tx, userId: string, origin: SessionOrigin, expiresAt: Date): Promise<string> {
    const [row] = await tx.query<{ id: string }[]>('INSERT INTO sessions (user_id, user_agent, ip, expires_at) VALUES ($1, $2, $3, $4) RETURNING id', [
      userId,
      userAgent(origin),
      ip(origin),
      expiresAt,
    ]);
    return row.id;
  }

  async insertRefreshToken(tx: Tx, sessionId: string, tokenHash: string, expiresAt: Date): Promise<void> {
    await tx.query('INSERT INTO refresh_tokens (session_id, token_hash, expires_at) VALUES ($1, $2, $3)', [sessionId, tokenHash, expiresAt]);
  }

  /** The refresh token with this hash and its session, locked for the rest of `tx`. */
  async lockRefreshToken(tx: Tx, tokenHash: string): Promise<RefreshTokenRow | undefined> {
    const [row] = await tx.query<RefreshTokenRow[]>(
      `SELECT rt.id, rt.session_id, s.user_id, rt.expires_at, rt.rotated_at, s.revoked_at
         FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
        WHERE rt.token_hash = $1
        FOR UPDATE OF rt`,
      [tokenHash],
    );
    return row;
  }

  async markRotated(tx: Tx, refreshTokenId: string): Promise<void> {
    await tx.query('UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1', [refreshTokenId]);
  }

  /** A refresh: the session lives until `expiresAt`, and remembers where it was last used from. */
  async touch(tx: Tx, sessionId: string, expiresAt: Date, origin: SessionOrigin): Promise<void> {
    await tx.query('UPDATE sessions SET last_used_at = now(), expires_at = $2, ip = COALESCE($3, ip), user_agent = COALESCE($4, user_agent) WHERE id = $1', [
      sessionId,
      expiresAt,
      ip(origin),
      userAgent(origin),
    ]);
  }

  /** Ends one session if it is live; the ids of the users whose session it ended (none or one). */
  async end(sessionId: string, reason: string): Promise<string[]> {
    const rows = await queryRows<{ user_id: string }>(
      this.dataSource,
      'UPDATE sessions SET revoked_at = now(), revoked_reason = $2, stepped_up_until = NULL WHERE id = $1 AND revoked_at IS NULL RETURNING user_id',
      [sessionId, reason],
    );
    return rows.map((r) => r.user_id);
  }

  /** Ends every live session of a user but `exceptSessionId` (in `tx` when given); how many it ended. */
  async endAllForUser(userId: string, reason: string, exceptSessionId?: string, tx?: Tx): Promise<number> {
    const rows = await queryRows<{ id: string }>(
      tx ?? this.dataSource,
      `UPDATE sessions SET revoked_at = now(), revoked_reason = $2, stepped_up_until = NULL
        WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)
        RETURNING id`,
      [userId, reason, exceptSessionId ?? null],
    );
    return rows.length;
  }

  /** Ends one of the user's live sessions as revoked by them; false when they have no such live session. */
  async revokeOwn(userId: string, sessionId: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE sessions SET revoked_at = now(), revoked_reason = 'revoked', stepped_up_until = NULL
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  /**
   * A step-up: the user's live session counts as confirmed for `seconds` from now (by the database's clock, which
   * every instance shares); when that ends, or undefined when the session is not this user's or has ended.
   */
  async stepUp(tx: Tx, userId: string, sessionId: string, seconds: number): Promise<Date | undefined> {
    const [row] = await queryRows<{ stepped_up_until: Date }>(
      tx,
      `UPDATE sessions SET stepped_up_until = now() + make_interval(secs => $3)
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()
        RETURNING stepped_up_until`,
      [sessionId, userId, seconds],
    );
    return row ? new Date(row.stepped_up_until) : undefined;
  }

  /** Until when the user's live session is stepped up, or undefined when it is not (never, expired, ended, another user's). */
  async steppedUpUntil(userId: string, sessionId: string): Promise<Date | undefined> {
    const [row] = await this.dataSource.query<{ stepped_up_until: Date }[]>(
      `SELECT stepped_up_until FROM sessions
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND stepped_up_until > now()`,
      [sessionId, userId],
    );
    return row ? new Date(row.stepped_up_until) : undefined;
  }

  /** Where the user's sessions other than `exceptSessionId` were opened or last used from (the most recent 500), ended ones included. */
  knownOrigins(userId: string, exceptSessionId: string): Promise<{ user_agent: string | null; ip: string | null }[]> {
    return this.dataSource.query<{ user_agent: string | null; ip: string | null }[]>(
      `SELECT user_agent, ip FROM sessions WHERE user_id = $1 AND id <> $2 ORDER BY created_at DESC LIMIT 500`,
      [userId, exceptSessionId],
    );
  }

  /** The user's live sessions, most recently used first. */
  listLive(userId: string): Promise<SessionEntity[]> {
    return this.dataSource.query<SessionEntity[]>(
      `SELECT id, user_id AS "userId", user_agent AS "userAgent", ip, created_at AS "createdAt", last_used_at AS "lastUsedAt",
              expires_at AS "expiresAt", revoked_at AS "revokedAt", revoked_reason AS "revokedReason", stepped_up_until AS "steppedUpUntil"
         FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
        ORDER BY last_used_at DESC`,
      [userId],
    );
  }
}
