import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';
import type { Tx } from '../database/unit-of-work';
import type { AlertCondition, AlertKind } from './alert-rules';

/** An `alerts` row as the database driver returns it. */
export interface AlertRow {
  id: string;
  user_id: string;
  symbol: string;
  kind: AlertKind;
  condition: AlertCondition;
  /** A move alert's is a placeholder (MOVE_ALERT_TARGET_PLACEHOLDER), never shown. */
  target_price: string;
  move_pct: string | null;
  cooldown_seconds: number | null;
  rearm_at: Date | null;
  notify_email: boolean;
  notify_push: boolean;
  active: boolean;
  triggered_at: Date | null;
  triggered_price: string | null;
  triggered_change: string | null;
  created_at: Date;
  updated_at: Date;
}

/** What the trigger books need of an armed alert. */
export type ArmedAlertRow = Pick<AlertRow, 'id' | 'user_id' | 'symbol' | 'kind' | 'condition' | 'target_price' | 'move_pct' | 'rearm_at'>;

export interface AlertListFilter {
  active?: boolean;
  symbol?: string;
  /** Keyset: rows strictly before (createdAt, id) in the list's order. */
  before?: { createdAt: Date; id: string };
  /** Rows to read (the caller asks one more than a page to know whether another follows). */
  limit: number;
}

export interface NewAlert {
  userId: string;
  symbol: string;
  kind: AlertKind;
  condition: AlertCondition;
  targetPrice: string;
  movePct: string | null;
  cooldownSeconds: number | null;
  notifyEmail: boolean;
  notifyPush: boolean;
}

/**
 * A change to an alert; absent fields stay as they are. `cooldownSeconds: null` makes it fire once. `rearm` clears
 * when it last fired and any cooldown under way (it watches afresh).
 */
export interface AlertChange {
  condition?: AlertCondition;
  targetPrice?: string;
  movePct?: string;
  cooldownSeconds?: number | null;
  notifyEmail?: boolean;
  notifyPush?: boolean;
  active: boolean;
  rearm: boolean;
}

const ARMED_COLUMNS = 'id, user_id, symbol, kind, condition, target_price, move_pct, rearm_at';

/** All SQL of the `alerts` table (owned by alerts). */
@Injectable()
export class AlertsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A user's alerts, newest first. */
  list(userId: string, f: AlertListFilter): Promise<AlertRow[]> {
    const where = ['user_id = $1'];
    const params: unknown[] = [userId];
    if (f.active !== undefined) where.push(`active = $${params.push(f.active)}`);
    if (f.symbol) where.push(`symbol = $${params.push(f.symbol)}`);
    if (f.before) where.push(`(created_at, id) < ($${params.push(f.before.createdAt)}, $${params.push(f.before.id)})`);
    params.push(f.limit);
    return this.dataSource.query<AlertRow[]>(
      `SELECT * FROM alerts WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
  }

  async findOwn(userId: string, id: string): Promise<AlertRow | undefined> {
    const [row] = await this.dataSource.query<AlertRow[]>('SELECT * FROM alerts WHERE id = $1 AND user_id = $2', [id, userId]);
    return row;
  }

  /** The user's alert, locked for the rest of `tx`. */
  async lockOwn(tx: Tx, userId: string, id: string): Promise<AlertRow | undefined> {
    const [row] = await tx.query<AlertRow[]>('SELECT * FROM alerts WHERE id = $1 AND user_id = $2 FOR UPDATE', [id, userId]);
    return row;
  }

  async countActive(tx: Tx, userId: string): Promise<number> {
    const [{ count }] = await tx.query<{ count: number }[]>('SELECT count(*)::int AS count FROM alerts WHERE user_id = $1 AND active', [userId]);
    return count;
  }

  async insert(tx: Tx, a: NewAlert): Promise<AlertRow> {
    const [row] = await tx.query<AlertRow[]>(
      `INSERT INTO alerts (user_id, symbol, kind, condition, target_price, move_pct, cooldown_seconds, notify_email, notify_push)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [a.userId, a.symbol, a.kind, a.condition, a.targetPrice, a.movePct, a.cooldownSeconds, a.notifyEmail, a.notifyPush],
    );
    return row;
  }

  async update(tx: Tx, userId: string, id: string, c: AlertChange): Promise<AlertRow | undefined> {
    const [row] = await queryRows<AlertRow>(
      tx,
      `UPDATE alerts SET
         condition = COALESCE($3, condition),
         target_price = COALESCE($4::numeric, target_price),
         move_pct = COALESCE($5::numeric, move_pct),
         cooldown_seconds = CASE WHEN $6 THEN $7::int ELSE cooldown_seconds END,
         notify_email = COALESCE($8, notify_email),
         notify_push = COALESCE($9, notify_push),
         active = $10,
         triggered_at = CASE WHEN $11 THEN NULL ELSE triggered_at END,
         triggered_price = CASE WHEN $11 THEN NULL ELSE triggered_price END,
         triggered_change = CASE WHEN $11 THEN NULL ELSE triggered_change END,
         rearm_at = CASE WHEN $11 OR NOT $10 THEN NULL ELSE rearm_at END,
         updated_at = now()
       WHERE id = $1 AND user_id = $2 RETURNING *`,
      [
        id,
        userId,
        c.condition ?? null,
        c.targetPrice ?? null,
        c.movePct ?? null,
        c.cooldownSeconds !== undefined,
        c.cooldownSeconds ?? null,
        c.notifyEmail ?? null,
        c.notifyPush ?? null,
        c.active,
        c.rearm,
      ],
    );
    return row;
  }

  /** Deletes the user's alert; false when there was none. */
  async deleteOwn(userId: string, id: string): Promise<boolean> {
    return (await queryRows<{ id: string }>(this.dataSource, 'DELETE FROM alerts WHERE id = $1 AND user_id = $2 RETURNING id', [id, userId])).length > 0;
  }

  /**
   * Fires the alert at this quote if it is still armed, still on `symbol`, not cooling down after an earlier firing
   * (`rearm_at` passed, on the database's clock) and the quote still reaches it: the price its target (price
   * alerts), the 24 h change its percentage (move alerts). The guard that makes an alert fire once (a repeating
   * one, once per cooldown) whichever instance evaluates which tick: a second UPDATE that waited on the row's lock
   * sees the first one's `rearm_at` (or `active = false`) and changes nothing. A one-off alert is disarmed; a
   * repeating one stays armed until the database's now plus its cooldown. Undefined when it did not fire.
   */
  async fireIfReached(id: string, symbol: string, price: string, change24h: string, tx?: Tx): Promise<AlertRow | undefined> {
    const [row] = await this.fireManyIfReached([id], symbol, price, change24h, tx);
    return row;
  }

  /**
   * The same guarded firing for several alerts one quote reached, in one statement: returns the rows it fired (in no
   * particular order); an alert fired, paused, moved or deleted meanwhile, or still cooling down, is left as it is.
   */
  async fireManyIfReached(ids: string[], symbol: string, price: string, change24h: string, tx?: Tx): Promise<AlertRow[]> {
    return queryRows<AlertRow>(
      tx ?? this.dataSource,
      `UPDATE alerts SET
         active = cooldown_seconds IS NOT NULL,
         rearm_at = CASE WHEN cooldown_seconds IS NULL THEN NULL ELSE now() + make_interval(secs => cooldown_seconds) END,
         triggered_at = now(), triggered_price = $2::numeric, triggered_change = $4::numeric, updated_at = now()
       WHERE id = ANY ($1::uuid[]) AND active AND symbol = $3 AND (rearm_at IS NULL OR rearm_at <= now())
         AND ((condition = 'above' AND target_price <= $2::numeric) OR (condition = 'below' AND target_price >= $2::numeric)
           OR (condition = 'up' AND $4::numeric >= move_pct) OR (condition = 'down' AND $4::numeric <= -move_pct))
       RETURNING *`,
      [ids, price, symbol, change24h],
    );
  }

  /** The alert if it is armed. */
  async armed(id: string): Promise<ArmedAlertRow | undefined> {
    const [row] = await this.dataSource.query<ArmedAlertRow[]>(`SELECT ${ARMED_COLUMNS} FROM alerts WHERE id = $1 AND active`, [id]);
    return row;
  }

  /** Every armed alert of a kind. */
  allArmed(kind: AlertKind): Promise<ArmedAlertRow[]> {
    return this.dataSource.query<ArmedAlertRow[]>(`SELECT ${ARMED_COLUMNS} FROM alerts WHERE active AND kind = $1`, [kind]);
  }
}
