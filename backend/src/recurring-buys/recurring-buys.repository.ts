import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queryRows } from '../database/rows';
import type { Tx } from '../database/unit-of-work';
import type { RecurringBuyStatus, RecurringFrequency, RecurringRunStatus } from './recurring-periods';

/** A `recurring_buy_runs` row as the driver returns it (numerics as strings). */
export interface RecurringRunRow {
  id: string;
  recurring_buy_id: string;
  user_id: string;
  period_start: Date;
  status: RecurringRunStatus;
  attempts: number;
  /** The attempt whose Idempotency-Key the current attempt uses; null: its own number (RecurringBuysRunner). */
  order_key_attempt: number | null;
  retry_at: Date | null;
  order_id: string | null;
  quantity: string | null;
  price: string | null;
  fee: string | null;
  quote_amount: string | null;
  reason_code: string | null;
  reason: string | null;
  created_at: Date;
  completed_at: Date | null;
}

/** A `recurring_buys` row, with its latest run (null when it never ran). */
export interface RecurringBuyRow {
  id: string;
  user_id: string;
  symbol: string;
  quote_amount: string;
  frequency: RecurringFrequency;
  status: RecurringBuyStatus;
  start_at: Date;
  next_run_at: Date | null;
  created_at: Date;
  updated_at: Date;
  paused_at: Date | null;
  deleted_at: Date | null;
  last_run: RecurringRunRow | null;
}

/** A run taken up by a tick, with what the runner needs of its schedule. */
export interface ClaimedRun {
  run: RecurringRunRow;
  schedule: Omit<RecurringBuyRow, 'last_run'>;
}

export interface NewRecurringBuy {
  userId: string;
  symbol: string;
  quoteAmount: string;
  frequency: RecurringFrequency;
  startAt: Date;
}

/** What a finished run records. */
export interface RunOutcome {
  status: Exclude<RecurringRunStatus, 'pending'>;
  orderId?: string;
  quantity?: string;
  price?: string;
  fee?: string;
  quoteAmount?: string;
  reasonCode?: string;
  reason?: string;
}

export interface RecurringBuyListFilter {
  /** One state; undefined: active and paused. */
  status?: RecurringBuyStatus;
  /** Keyset: rows strictly before (createdAt, id) in the list's order. */
  before?: { createdAt: Date; id: string };
  limit: number;
}

const RUN_COLUMNS = [
  'id',
  'recurring_buy_id',
  'user_id',
  'period_start',
  'status',
  'attempts',
  'order_key_attempt',
  'retry_at',
  'order_id',
  'quantity',
  'price',
  'fee',
  'quote_amount',
  'reason_code',
  'reason',
  'created_at',
  'completed_at',
];

const SCHEDULE_COLUMNS = [
  'id',
  'user_id',
  'symbol',
  'quote_amount',
  'frequency',
  'status',
  'start_at',
  'next_run_at',
  'created_at',
  'updated_at',
  'paused_at',
  'deleted_at',
];

/** The schedule's columns and its latest run's, prefixed `lr_` (a LATERAL join: one index probe per schedule). */
const WITH_LAST_RUN = `
  SELECT rb.*, ${RUN_COLUMNS.map((c) => `lr.${c} AS lr_${c}`).join(', ')}
    FROM recurring_buys rb
    LEFT JOIN LATERAL (
      SELECT * FROM recurring_buy_runs r WHERE r.recurring_buy_id = rb.id ORDER BY r.period_start DESC LIMIT 1
    ) lr ON true`;

function withLastRun(raw: Record<string, unknown>): RecurringBuyRow {
  const row: Record<string, unknown> = {};
  const run: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k.startsWith('lr_')) run[k.slice(3)] = v;
    else row[k] = v;
  }
  row.last_run = run.id ? run : null;
  return row as unknown as RecurringBuyRow;
}

/** All SQL of `recurring_buys` and `recurring_buy_runs` (owned by recurring-buys). */
@Injectable()
export class RecurringBuysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A user's recurring buys, newest first. */
  async list(userId: string, f: RecurringBuyListFilter): Promise<RecurringBuyRow[]> {
    const where = ['rb.user_id = $1'];
    const params: unknown[] = [userId];
    if (f.status) where.push(`rb.status = $${params.push(f.status)}`);
    else where.push(`rb.status <> 'deleted'`);
    if (f.before) where.push(`(rb.created_at, rb.id) < ($${params.push(f.before.createdAt)}, $${params.push(f.before.id)})`);
    params.push(f.limit);
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `${WITH_LAST_RUN} WHERE ${where.join(' AND ')} ORDER BY rb.created_at DESC, rb.id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(withLastRun);
  }

  /** The user's recurring buy (deleted ones too), through `tx` when given. */
  async findOwn(userId: string, id: string, tx?: Tx): Promise<RecurringBuyRow | undefined> {
    const [row] = await (tx ?? this.dataSource).query<Record<string, unknown>[]>(`${WITH_LAST_RUN} WHERE rb.id = $1 AND rb.user_id = $2`, [id, userId]);
    return row ? withLastRun(row) : undefined;
  }

  /** Locks the user's recurring buy for the rest of `tx`; its state as locked. */
  async lockOwn(tx: Tx, userId: string, id: string): Promise<RecurringBuyStatus | undefined> {
    const [row] = await tx.query<{ status: RecurringBuyStatus }[]>('SELECT status FROM recurring_buys WHERE id = $1 AND user_id = $2 FOR UPDATE', [id, userId]);
    return row?.status;
  }

  async countActive(tx: Tx, userId: string): Promise<number> {
    const [{ count }] = await tx.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM recurring_buys WHERE user_id = $1 AND status = 'active'`, [
      userId,
    ]);
    return count;
  }

  async insert(tx: Tx, r: NewRecurringBuy): Promise<string> {
    const [row] = await tx.query<{ id: string }[]>(
      `INSERT INTO recurring_buys (user_id, symbol, quote_amount, frequency, start_at, next_run_at)
       VALUES ($1, $2, $3::numeric, $4, $5, $5) RETURNING id`,
      [r.userId, r.symbol, r.quoteAmount, r.frequency, r.startAt],
    );
    return row.id;
  }

  /** Pauses, resumes (with the next run) or deletes; `nextRunAt` is set exactly when the new state is active. */
  async setStatus(tx: Tx, id: string, status: RecurringBuyStatus, nextRunAt: Date | null): Promise<void> {
    await tx.query(
      `UPDATE recurring_buys SET status = $2::varchar, next_run_at = $3::timestamptz, updated_at = now(),
         paused_at = CASE WHEN $2::varchar = 'paused' THEN now() WHEN $2::varchar = 'active' THEN NULL ELSE paused_at END,
         deleted_at = CASE WHEN $2::varchar = 'deleted' THEN now() ELSE deleted_at END
       WHERE id = $1`,
      [id, status, nextRunAt],
    );
  }

  /** A schedule's runs, newest period first. */
  runs(recurringBuyId: string, before: { createdAt: Date; id: string } | undefined, limit: number): Promise<RecurringRunRow[]> {
    const params: unknown[] = [recurringBuyId];
    const keyset = before ? `AND (period_start, id) < ($${params.push(before.createdAt)}, $${params.push(before.id)})` : '';
    params.push(limit);
    return this.dataSource.query<RecurringRunRow[]>(
      `SELECT * FROM recurring_buy_runs WHERE recurring_buy_id = $1 ${keyset} ORDER BY period_start DESC, id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /**
   * The active schedules whose next run is due, locked for the rest of `tx` (those another instance is claiming
   * right now are skipped, not waited for), with the database's clock: every instance decides by the same time.
   */
  async lockDue(tx: Tx, limit: number): Promise<{ now: Date; due: Omit<RecurringBuyRow, 'last_run'>[] }> {
    const due = await tx.query<(Omit<RecurringBuyRow, 'last_run'> & { db_now: Date })[]>(
      `SELECT *, now() AS db_now FROM recurring_buys
        WHERE status = 'active' AND next_run_at <= now()
        ORDER BY next_run_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    const now = due.length ? new Date(due[0].db_now) : new Date();
    return { now, due: due.map(({ db_now: _, ...row }) => row) };
  }

  /**
   * Claims one period of a schedule: the run's row, unless that period already has one (UNIQUE (recurring_buy_id,
   * period_start)); undefined then. A claimed run may be taken up again by a later tick from `retryAt` on, should
   * this one never finish it (a crash).
   */
  async claimRun(tx: Tx, schedule: { id: string; user_id: string }, periodStart: Date, retryAt: Date): Promise<RecurringRunRow | undefined> {
    const [row] = await tx.query<RecurringRunRow[]>(
      `INSERT INTO recurring_buy_runs (recurring_buy_id, user_id, period_start, retry_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (recurring_buy_id, period_start) DO NOTHING RETURNING *`,
      [schedule.id, schedule.user_id, periodStart, retryAt],
    );
    return row;
  }

  async setNextRun(tx: Tx, id: string, nextRunAt: Date): Promise<void> {
    await tx.query(`UPDATE recurring_buys SET next_run_at = $2 WHERE id = $1 AND status = 'active'`, [id, nextRunAt]);
  }

  /** Pending runs whose retry time came (a retry, or one a crashed instance left), taken up until `leaseMs` from now. */
  async lockRetries(tx: Tx, limit: number, leaseMs: number): Promise<ClaimedRun[]> {
    const rows = await queryRows<Record<string, unknown>>(
      tx,
      `WITH taken AS (
         SELECT id FROM recurring_buy_runs WHERE status = 'pending' AND retry_at <= now()
          ORDER BY retry_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), leased AS (
         UPDATE recurring_buy_runs r SET retry_at = now() + make_interval(secs => $2::double precision / 1000)
           FROM taken WHERE r.id = taken.id RETURNING r.*
       )
       SELECT ${RUN_COLUMNS.map((c) => `leased.${c}`).join(', ')}, ${SCHEDULE_COLUMNS.map((c) => `rb.${c} AS rb_${c}`).join(', ')}
         FROM leased JOIN recurring_buys rb ON rb.id = leased.recurring_buy_id`,
      [limit, leaseMs],
    );
    return rows.map((raw) => {
      const run: Record<string, unknown> = {};
      const schedule: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) {
        if (k.startsWith('rb_')) schedule[k.slice(3)] = v;
        else run[k] = v;
      }
      return { run: run as unknown as RecurringRunRow, schedule: schedule as unknown as Omit<RecurringBuyRow, 'last_run'> };
    });
  }

  /** Records how a pending run ended; undefined when it had already ended (another instance finished it). */
  async finishRun(id: string, o: RunOutcome): Promise<RecurringRunRow | undefined> {
    const [row] = await queryRows<RecurringRunRow>(
      this.dataSource,
      `UPDATE recurring_buy_runs SET status = $2, retry_at = NULL, completed_at = now(),
         order_id = $3, quantity = $4::numeric, price = $5::numeric, fee = $6::numeric, quote_amount = $7::numeric,
         reason_code = $8, reason = $9
       WHERE id = $1 AND status = 'pending' RETURNING *`,
      [id, o.status, o.orderId ?? null, o.quantity ?? null, o.price ?? null, o.fee ?? null, o.quoteAmount ?? null, o.reasonCode ?? null, o.reason ?? null],
    );
    return row;
  }

  /**
   * A retry of a pending run after `delayMs`, with the next attempt's number; false when it had ended or moved on.
   * `sameKey`: the next attempt places its order under the key this one used (its outcome is unknown, or nothing was
   * stored under it); otherwise under its own number's.
   */
  async retryLater(id: string, attempt: number, delayMs: number, sameKey: boolean): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `UPDATE recurring_buy_runs SET attempts = attempts + 1, retry_at = now() + make_interval(secs => $3::double precision / 1000),
         order_key_attempt = CASE WHEN $4::boolean THEN COALESCE(order_key_attempt, attempts) END
       WHERE id = $1 AND status = 'pending' AND attempts = $2 RETURNING id`,
      [id, attempt, delayMs, sameKey],
    );
    return rows.length > 0;
  }
}
