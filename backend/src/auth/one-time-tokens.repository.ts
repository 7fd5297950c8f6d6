import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';
import type { Tx } from '../database/unit-of-work';
import type { OneTimeTokenPurpose } from './entities/one-time-token.entity';

/** The newest live email code of an address, as a check reads it. */
export interface EmailCodeRow {
  id: string;
  user_id: string;
  token_hash: string;
}

export interface NewOneTimeToken {
  /** Set when the hash depends on the row's id (email codes). */
  id?: string;
  userId: string;
  purpose: OneTimeTokenPurpose;
  tokenHash: string;
  expiresAt: Date;
}

/** The `one_time_tokens` table: email verification links and codes, password reset links (hashes only). */
@Injectable()
export class OneTimeTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Uses up every pending token of the user for these purposes. */
  async retire(tx: Tx, userId: string, purposes: readonly OneTimeTokenPurpose[]): Promise<void> {
    await tx.query('UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose = ANY($2::varchar[]) AND used_at IS NULL', [userId, purposes]);
  }

  async insert(tx: Tx, t: NewOneTimeToken): Promise<void> {
    await tx.query(
      'INSERT INTO one_time_tokens (id, user_id, purpose, token_hash, expires_at) VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5)',
      [t.id ?? null, t.userId, t.purpose, t.tokenHash, t.expiresAt],
    );
  }

  /** Uses up the live token with this hash; the user it belongs to, or undefined (unknown, used or expired). */
  async consume(tokenHash: string, purpose: OneTimeTokenPurpose, tx?: Tx): Promise<string | undefined> {
    const rows = await queryRows<{ user_id: string }>(
      tx ?? this.dataSource,
      `UPDATE one_time_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
      [tokenHash, purpose],
    );
    return rows[0]?.user_id;
  }

  /** Whether a live token has this hash (without using it). */
  async isLive(tokenHash: string, purpose: OneTimeTokenPurpose): Promise<boolean> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM one_time_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()',
      [tokenHash, purpose],
    );
    return rows.length === 1;
  }

  async latestEmailCode(email: string): Promise<EmailCodeRow | undefined> {
    const [row] = await this.dataSource.query<EmailCodeRow[]>(
      `SELECT t.id, t.user_id, t.token_hash FROM one_time_tokens t JOIN users u ON u.id = t.user_id
        WHERE lower(u.email) = $1 AND t.purpose = 'email_code' AND t.used_at IS NULL AND t.expires_at > now()
        ORDER BY t.created_at DESC LIMIT 1`,
      [email.toLowerCase()],
    );
    return row;
  }

  /** Claims one of a code's `max` attempts, atomically; false when none is left (or the code is used). */
  async claimAttempt(id: string, max: number): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      'UPDATE one_time_tokens SET attempts = attempts + 1 WHERE id = $1 AND attempts < $2 AND used_at IS NULL RETURNING id',
      [id, max],
    );
    return rows.length > 0;
  }

  /** Uses up one token by id; false when it was used meanwhile. */
  async markUsed(id: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(this.dataSource, 'UPDATE one_time_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL RETURNING id', [
      id,
    ]);
    return rows.length > 0;
  }
}
