import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Role } from '../../common/auth/auth-user';
import { queryRows } from '../../database/rows';
import type { Tx } from '../../database/unit-of-work';

export type ApiKeyScope = 'read' | 'trade' | 'withdraw';
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'trade', 'withdraw'];

/** An `api_keys` row as the service reads it, with `superseded`: created before the owner's tokens_valid_after. */
export interface ApiKeyRow {
  id: string;
  user_id: string;
  name: string;
  public_key: Uint8Array;
  scopes: ApiKeyScope[];
  ip_allowlist: string[];
  expires_at: Date | null;
  created_at: Date;
  last_used_at: Date | null;
  last_used_ip: string | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
  expired: boolean;
  superseded: boolean;
}

/** A key with its owner's state, for authenticating a request signed with it. */
export interface ApiKeyAuthRow extends ApiKeyRow {
  email: string;
  role: Role;
  suspended_at: Date | null;
  frozen_at: Date | null;
  two_factor_on: boolean;
}

export interface NewApiKey {
  userId: string;
  name: string;
  publicKey: Uint8Array;
  scopes: ApiKeyScope[];
  ipAllowlist: string[];
  expiresAt: Date | null;
}

/**
 * A key made before the owner's tokens_valid_after (a password reset, a suspension, a closure). Those set it
 * truncated to the second (like a JWT's iat), so a key made earlier in that same second would compare as later: a key
 * from within the second of such a change counts as made before it (failing closed; one made just after it, in the same
 * second, has to be made again). At sign-up tokens_valid_after is the exact time, never a whole second.
 */
const SUPERSEDED = `k.created_at < u.tokens_valid_after
  OR (u.tokens_valid_after = date_trunc('second', u.tokens_valid_after) AND date_trunc('second', k.created_at) = u.tokens_valid_after)`;

const COLUMNS = `k.id, k.user_id, k.name, k.public_key, k.scopes, k.ip_allowlist, k.expires_at, k.created_at, k.last_used_at,
  k.last_used_ip, k.revoked_at, k.revoked_reason, (k.expires_at IS NOT NULL AND k.expires_at <= now()) AS expired,
  (${SUPERSEDED}) AS superseded`;

/** Keys that still authenticate (and count against the per-account maximum). */
const LIVE = `k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now()) AND NOT (${SUPERSEDED})`;

/** The same condition for the webhooks' SQL (auth/api-keys/webhooks): over `api_keys k JOIN users u ON u.id = k.user_id`. */
export const LIVE_API_KEY_SQL = LIVE;

/** The `api_keys` table: the accounts' scoped API keys. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One creation per account at a time (the count limit and the insert), on every instance, until `tx` ends. */
  async serialize(tx: Tx, userId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`api-keys:${userId}`]);
  }

  async countLive(tx: Tx, userId: string): Promise<number> {
    const [{ count }] = await tx.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.user_id = $1 AND ${LIVE}`,
      [userId],
    );
    return count;
  }

  async insert(tx: Tx, k: NewApiKey): Promise<ApiKeyRow> {
    const [row] = await queryRows<ApiKeyRow>(
      tx,
      `WITH k AS (
         INSERT INTO api_keys (user_id, name, public_key, scopes, ip_allowlist, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *
       )
       SELECT ${COLUMNS} FROM k JOIN users u ON u.id = k.user_id`,
      [k.userId, k.name, Buffer.from(k.publicKey), k.scopes, k.ipAllowlist, k.expiresAt],
    );
    return row;
  }

  /** The account's keys, newest first (revoked ones too). */
  listForUser(userId: string): Promise<ApiKeyRow[]> {
    return this.dataSource.query<ApiKeyRow[]>(
      `SELECT ${COLUMNS} FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.user_id = $1 ORDER BY k.created_at DESC, k.id`,
      [userId],
    );
  }

  /** The key with its owner's state, by primary key (one indexed read per signed request). */
  async findForAuth(id: string): Promise<ApiKeyAuthRow | undefined> {
    const [row] = await this.dataSource.query<ApiKeyAuthRow[]>(
      `SELECT ${COLUMNS}, u.email, u.role, u.suspended_at, u.frozen_at, u.two_factor_enabled_at IS NOT NULL AS two_factor_on
         FROM api_keys k JOIN users u ON u.id = k.user_id
        WHERE k.id = $1`,
      [id],
    );
    return row;
  }

  /**
   * Revokes the account's key (at once: every instance reads the row on each request). The row, or undefined when
   * the account has no such key; `changed` false when it was revoked already.
   */
  async revoke(tx: Tx, userId: string, id: string, reason: string): Promise<{ row: ApiKeyRow; changed: boolean } | undefined> {
    const [changed] = await queryRows<{ id: string }>(
      tx,
      `UPDATE api_keys SET revoked_at = now(), revoked_reason = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
      [id, userId, reason],
    );
    const [row] = await tx.query<ApiKeyRow[]>(`SELECT ${COLUMNS} FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = $1 AND k.user_id = $2`, [
      id,
      userId,
    ]);
    return row ? { row, changed: !!changed } : undefined;
  }

  /** Revokes the account's keys created at or after `since` (a freeze undoing what an intruder added); their ids. */
  async revokeAddedSince(tx: Tx, userId: string, since: Date): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `UPDATE api_keys SET revoked_at = now(), revoked_reason = 'freeze' WHERE user_id = $1 AND created_at >= $2 AND revoked_at IS NULL RETURNING id`,
      [userId, since],
    );
    return rows.map((r) => r.id);
  }

  /** Records a use, at most once a minute per key (so a busy key does not write on every request). */
  async recordUse(id: string, ip: string | undefined): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now(), last_used_ip = $2
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id, ip?.slice(0, 64) ?? null],
    );
  }
}
