import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../../database/rows';
import type { Tx } from '../../database/unit-of-work';

/** A `passkeys` row as the service reads it. */
export interface PasskeyRow {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: Uint8Array;
  /** bigint, as the driver gives it. */
  counter: string;
  transports: string[];
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}

export interface NewPasskey {
  userId: string;
  credentialId: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  name: string;
}

const COLUMNS = 'id, user_id, credential_id, public_key, counter, transports, name, created_at, last_used_at';

/** The `passkeys` table: the WebAuthn credentials of accounts. */
@Injectable()
export class PasskeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One registration of an account at a time (the count limit and the insert), on every instance, until `tx` ends. */
  async serialize(tx: Tx, userId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`passkeys:${userId}`]);
  }

  async countForUser(tx: Tx, userId: string): Promise<number> {
    const [{ count }] = await tx.query<{ count: number }[]>('SELECT count(*)::int AS count FROM passkeys WHERE user_id = $1', [userId]);
    return count;
  }

  /** The new row, or null when the credential is already registered (to any account). */
  async insert(tx: Tx, p: NewPasskey): Promise<PasskeyRow | null> {
    const rows = await tx.query<PasskeyRow[]>(
      `INSERT INTO passkeys (user_id, credential_id, public_key, counter, transports, name)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (credential_id) DO NOTHING
       RETURNING ${COLUMNS}`,
      [p.userId, p.credentialId, Buffer.from(p.publicKey), p.counter, p.transports, p.name],
    );
    return rows[0] ?? null;
  }

  /** The account's passkeys, oldest first. */
  listForUser(userId: string): Promise<PasskeyRow[]> {
    return this.dataSource.query<PasskeyRow[]>(`SELECT ${COLUMNS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
  }

  async findByCredentialId(credentialId: string): Promise<PasskeyRow | undefined> {
    const [row] = await this.dataSource.query<PasskeyRow[]>(`SELECT ${COLUMNS} FROM passkeys WHERE credential_id = $1`, [credentialId]);
    return row;
  }

  /** Renames the account's passkey; the row, or undefined when the account has no such passkey. */
  async rename(userId: string, id: string, name: string): Promise<PasskeyRow | undefined> {
    const [row] = await queryRows<PasskeyRow>(this.dataSource, `UPDATE passkeys SET name = $3 WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`, [
      id,
      userId,
      name,
    ]);
    return row;
  }

  /** Removes the account's passkey; the removed row, or undefined when the account has no such passkey. */
  async delete(tx: Tx, userId: string, id: string): Promise<PasskeyRow | undefined> {
    const [row] = await queryRows<PasskeyRow>(tx, `DELETE FROM passkeys WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`, [id, userId]);
    return row;
  }

  /**
   * Records a use with the authenticator's new signature counter, only if it went up (or both it and the stored one
   * are 0: an authenticator that keeps no counter). Conditional, so of two requests carrying the same counter one
   * wins. False: a replayed or decreasing counter (a cloned authenticator).
   */
  async recordUse(id: string, newCounter: number): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE passkeys SET counter = $2, last_used_at = now()
        WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2 = 0))
        RETURNING id`,
      [id, newCounter],
    );
    return rows.length > 0;
  }

  /** Removes the account's passkeys added at or after `since` (a freeze undoing what an intruder added); their ids. */
  async deleteAddedSince(tx: Tx, userId: string, since: Date): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(tx, 'DELETE FROM passkeys WHERE user_id = $1 AND created_at >= $2 RETURNING id', [userId, since]);
    return rows.map((r) => r.id);
  }
}
