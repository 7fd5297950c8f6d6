import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../../database/rows';
import type { Tx } from '../../database/unit-of-work';

/** A `security_events` row (never its freeze token hash). */
export interface SecurityEventRow {
  id: string;
  user_id: string;
  kind: string;
  created_at: Date;
  ip: string | null;
  network: string | null;
  device: string | null;
  details: Record<string, unknown>;
}

export interface NewSecurityEvent {
  userId: string;
  kind: string;
  ip: string | null;
  network: string | null;
  device: string | null;
  details: Record<string, unknown>;
  freeze?: { tokenHash: string; expiresAt: Date };
}

const COLUMNS = 'id, user_id, kind, created_at, ip, network, device, details';

/** The `security_events` table (owned by auth): an account's security history and its "This wasn't me" links. */
@Injectable()
export class SecurityEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(e: NewSecurityEvent, tx?: Tx): Promise<SecurityEventRow> {
    const [row] = await (tx ?? this.dataSource).query<SecurityEventRow[]>(
      `INSERT INTO security_events (user_id, kind, ip, network, device, details, freeze_token_hash, freeze_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        e.userId,
        e.kind,
        e.ip?.slice(0, 64) ?? null,
        e.network,
        e.device?.slice(0, 100) ?? null,
        JSON.stringify(e.details),
        e.freeze?.tokenHash ?? null,
        e.freeze?.expiresAt ?? null,
      ],
    );
    return row;
  }

  /** Newest first; `before` is a keyset position (created_at, id). */
  page(userId: string, before: { createdAt: Date; id: string } | undefined, limit: number): Promise<SecurityEventRow[]> {
    const params: unknown[] = [userId];
    const where = before ? `AND (created_at, id) < ($${params.push(before.createdAt)}, $${params.push(before.id)}::uuid)` : '';
    return this.dataSource.query<SecurityEventRow[]>(
      `SELECT ${COLUMNS} FROM security_events WHERE user_id = $1 ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.push(limit)}`,
      params,
    );
  }

  /** Whether the user has any event of these kinds. */
  async hasAny(tx: Tx, userId: string, kinds: readonly string[]): Promise<boolean> {
    const rows = await tx.query<unknown[]>('SELECT 1 FROM security_events WHERE user_id = $1 AND kind = ANY($2::text[]) LIMIT 1', [userId, [...kinds]]);
    return rows.length > 0;
  }

  /** The event a live (unused, unexpired) freeze link names, without using it. */
  async findByLiveFreezeToken(tokenHash: string): Promise<SecurityEventRow | undefined> {
    const [row] = await this.dataSource.query<SecurityEventRow[]>(
      `SELECT ${COLUMNS} FROM security_events WHERE freeze_token_hash = $1 AND freeze_used_at IS NULL AND freeze_expires_at > now()`,
      [tokenHash],
    );
    return row;
  }

  /** Uses a live freeze link once: of two concurrent uses, one gets the event. */
  async consumeFreezeToken(tx: Tx, tokenHash: string): Promise<SecurityEventRow | undefined> {
    const [row] = await queryRows<SecurityEventRow>(
      tx,
      `UPDATE security_events SET freeze_used_at = now()
        WHERE freeze_token_hash = $1 AND freeze_used_at IS NULL AND freeze_expires_at > now()
        RETURNING ${COLUMNS}`,
      [tokenHash],
    );
    return row;
  }

  /** Ends every live freeze link of the user (an unfreeze: the owner has proven the mailbox and starts again). */
  async retireFreezeLinks(tx: Tx, userId: string): Promise<void> {
    await tx.query('UPDATE security_events SET freeze_expires_at = now() WHERE user_id = $1 AND freeze_used_at IS NULL AND freeze_expires_at > now()', [
      userId,
    ]);
  }
}
