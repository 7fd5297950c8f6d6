import { Injectable } from '@nestjs/common';
import { queryRows } from '../database/rows';
import type { Tx } from '../database/unit-of-work';

/** A pending change of a sign-in address, as its confirmation uses it up. */
export interface EmailChangeRow {
  user_id: string;
  session_id: string | null;
  new_email: string;
}

export interface NewEmailChange {
  userId: string;
  sessionId: string;
  newEmail: string;
  tokenHash: string;
  expiresAt: Date;
}

/** The `email_changes` table: requested changes of a sign-in address, with the hash of the link mailed to the new one. */
@Injectable()
export class EmailChangesRepository {
  /** Cancels the user's pending changes (a new request replaces them; a password reset drops them). */
  async retire(tx: Tx, userId: string): Promise<void> {
    await tx.query('UPDATE email_changes SET used_at = now() WHERE user_id = $1 AND used_at IS NULL', [userId]);
  }

  async insert(tx: Tx, c: NewEmailChange): Promise<void> {
    await tx.query('INSERT INTO email_changes (user_id, session_id, new_email, token_hash, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      c.userId,
      c.sessionId,
      c.newEmail,
      c.tokenHash,
      c.expiresAt,
    ]);
  }

  /** Uses up the live change with this link's hash; undefined when unknown, used, cancelled or expired. */
  async consume(tx: Tx, tokenHash: string): Promise<EmailChangeRow | undefined> {
    const [row] = await queryRows<EmailChangeRow>(
      tx,
      `UPDATE email_changes SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id, session_id, new_email`,
      [tokenHash],
    );
    return row;
  }
}
