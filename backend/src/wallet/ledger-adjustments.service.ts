import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth/auth-user';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { conflict, forbidden, notFound, unprocessable, validationFailed } from '../common/errors/app-error';
import { freshUsdValue } from '../common/market/fresh-quote';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { CASH_ASSET, formatAmount } from '../common/money/amount-format';
import { Dec, dec, toFixedString } from '../common/money/decimal';
import { AppConfig } from '../config/config.service';
import { inTransaction } from '../database/transaction';
import {
  AdminLedgerAdjustmentDto,
  AdminLedgerAdjustmentPageDto,
  AdminLedgerAdjustmentQueryDto,
  LedgerAdjustmentDto,
  LedgerAdjustmentResponseDto,
  LedgerAdjustmentStatus,
  RejectLedgerAdjustmentDto,
} from './dto/wallet.dto';
import { insufficientFunds, LedgerService } from '../ledger/ledger.service';
import { balanceKey, PLATFORM_TREASURY, userAccount } from '../ledger/ledger.types';

interface AdjustmentRow {
  id: string;
  user_id: string;
  user_email?: string | null;
  asset: string;
  amount: string;
  usd_value: string;
  reason: string;
  status: LedgerAdjustmentStatus;
  requested_by: string;
  requested_by_email?: string | null;
  approved_by: string | null;
  rejected_by: string | null;
  reject_reason: string | null;
  journal_id: string | null;
  created_at: Date;
  decided_at: Date | null;
}

/** Statuses that count towards an admin's 24-hour total: everything not rejected. */
const WINDOW_STATUSES: LedgerAdjustmentStatus[] = ['pending', 'posted'];
const SELECT = `SELECT a.*, u.email AS user_email, r.email AS requested_by_email
  FROM ledger_adjustments a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN users r ON r.id = a.requested_by`;

export function toAdjustmentDto(r: AdjustmentRow): AdminLedgerAdjustmentDto {
  return {
    id: r.id,
    userId: r.user_id,
    userEmail: r.user_email ?? null,
    asset: r.asset,
    amount: formatAmount(r.amount, r.asset),
    usdValue: formatAmount(dec(r.usd_value).toDecimalPlaces(2), CASH_ASSET),
    reason: r.reason,
    status: r.status,
    requestedBy: r.requested_by,
    requestedByEmail: r.requested_by_email ?? null,
    approvedBy: r.approved_by,
    rejectedBy: r.rejected_by,
    rejectReason: r.reject_reason,
    journalId: r.journal_id,
    createdAt: new Date(r.created_at).toISOString(),
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  };
}

/**
 * Admin corrections of the ledger, under dual control: a credit (or,
 * negative, a debit) of a user against the platform treasury.
 * - nobody adjusts their own account, nor approves an adjustment of it;
 * - each adjustment is valued in USD at a fresh quote (PRICE_STALE without
 *   one); while the requesting admin's adjustments of the last 24 hours,
 *   this one included, stay under LEDGER_ADJUSTMENT_DUAL_APPROVAL_USD it is
 *   posted at once (201), from there on each one is held `pending` (202)
 *   until a different admin approves it (posted then, once) or rejects it;
 * - one admin's requests are serialised, so parallel requests cannot slip
 *   under the line together; every step is audited with both admins.
 */
@Injectable()
export class LedgerAdjustmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async create(admin: AuthUser, dto: LedgerAdjustmentDto): Promise<{ status: 201 | 202; body: LedgerAdjustmentResponseDto }> {
    const amount = dec(dto.amount);
    if (amount.isZero()) throw validationFailed([{ field: 'amount', message: 'amount must not be zero' }]);
    if (dto.userId === admin.id) {
      await this.audit.record({ action: 'ledger.adjustment_refused', userId: admin.id, actorId: admin.id, details: { asset: dto.asset, amount: amount.toFixed(), reason: dto.reason, why: 'own account' } });
      throw forbidden('FORBIDDEN', 'Admins cannot adjust their own account; another admin must do it');
    }
    if (dto.asset !== CASH_ASSET && !this.quotes.isKnown(dto.asset)) throw unprocessable('UNKNOWN_ASSET', `Unknown asset ${dto.asset}`);
    const usdValue = freshUsdValue(this.quotes, dto.asset, amount.abs(), this.config.values.priceMaxAgeMs);
    const threshold = this.config.values.ledgerAdjustmentDualApprovalUsd;

    return inTransaction(this.dataSource, async (em) => {
      const users = (await em.query(`SELECT id FROM users WHERE id = $1`, [dto.userId])) as unknown[];
      if (!users.length) throw notFound('No such user');
      // One admin's adjustments are serialised: the 24-hour total cannot be raced past the line.
      await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`adjust:${admin.id}`]);
      const windowUsd = (await this.requestedToday(em, admin.id)).add(usdValue);
      const id = randomUUID();
      const common = { adjustmentId: id, asset: dto.asset, amount: formatAmount(amount, dto.asset), reason: dto.reason, usdValue: toFixedString(usdValue, 2), requestedBy: admin.id };

      if (windowUsd.gte(dec(threshold))) {
        // Refuse now what could never be approved: a debit larger than what the user has.
        if (amount.isNegative()) await this.checkCovers(em, dto.userId, dto.asset, amount);
        await this.insert(em, { id, dto, amount, usdValue, status: 'pending', requestedBy: admin.id, journalId: null });
        await this.audit.record(
          { action: 'ledger.adjustment_requested', userId: dto.userId, actorId: admin.id, details: { ...common, windowUsd: toFixedString(windowUsd, 2), thresholdUsd: threshold } },
          em,
        );
        return { status: 202 as const, body: { journalId: null, adjustment: toAdjustmentDto(await this.row(em, id)) } };
      }
      const journalId = await this.post(em, id, dto.userId, dto.asset, amount, dto.reason);
      await this.insert(em, { id, dto, amount, usdValue, status: 'posted', requestedBy: admin.id, journalId });
      await this.audit.record({ action: 'ledger.adjustment', userId: dto.userId, actorId: admin.id, details: { ...common, journalId, approvedBy: null } }, em);
      return { status: 201 as const, body: { journalId, adjustment: toAdjustmentDto(await this.row(em, id)) } };
    });
  }

  /** A second admin posts a held adjustment, once: concurrent approvals wait for the row and find it posted (409). */
  async approve(admin: AuthUser, id: string): Promise<LedgerAdjustmentResponseDto> {
    return inTransaction(this.dataSource, async (em) => {
      const a = await this.lockPending(em, id, admin, 'approve');
      if (a.user_id === admin.id) throw forbidden('FORBIDDEN', 'Admins cannot approve an adjustment of their own account');
      const amount = dec(a.amount);
      const journalId = await this.post(em, a.id, a.user_id, a.asset, amount, a.reason);
      await em.query(`UPDATE ledger_adjustments SET status = 'posted', approved_by = $2, journal_id = $3, decided_at = now() WHERE id = $1`, [a.id, admin.id, journalId]);
      await this.audit.record(
        {
          action: 'ledger.adjustment',
          userId: a.user_id,
          actorId: admin.id,
          details: { adjustmentId: a.id, journalId, asset: a.asset, amount: formatAmount(amount, a.asset), reason: a.reason, usdValue: toFixedString(dec(a.usd_value), 2), requestedBy: a.requested_by, approvedBy: admin.id },
        },
        em,
      );
      return { journalId, adjustment: toAdjustmentDto(await this.row(em, a.id)) };
    });
  }

  /** A second admin refuses a held adjustment: nothing is posted, and it cannot be approved afterwards. */
  async reject(admin: AuthUser, id: string, dto: RejectLedgerAdjustmentDto): Promise<LedgerAdjustmentResponseDto> {
    return inTransaction(this.dataSource, async (em) => {
      const a = await this.lockPending(em, id, admin, 'reject');
      await em.query(`UPDATE ledger_adjustments SET status = 'rejected', rejected_by = $2, reject_reason = $3, decided_at = now() WHERE id = $1`, [a.id, admin.id, dto.reason]);
      await this.audit.record(
        {
          action: 'ledger.adjustment_rejected',
          userId: a.user_id,
          actorId: admin.id,
          details: { adjustmentId: a.id, asset: a.asset, amount: formatAmount(a.amount, a.asset), requestedBy: a.requested_by, rejectedBy: admin.id, rejectReason: dto.reason },
        },
        em,
      );
      return { journalId: null, adjustment: toAdjustmentDto(await this.row(em, a.id)) };
    });
  }

  /** Newest first, optionally by status (`?status=pending`: the queue a second admin works through). */
  async list(query: AdminLedgerAdjustmentQueryDto): Promise<AdminLedgerAdjustmentPageDto> {
    const limit = query.limit ?? 20;
    const cursor = decodeCursor(query.cursor, 'uuid');
    const params: unknown[] = [query.status ?? null, limit + 1];
    const keyset = cursor ? `AND (a.created_at, a.id) < ($${params.push(cursor.createdAt)}, $${params.push(cursor.id)}::uuid)` : '';
    const rows = (await this.dataSource.query(
      `${SELECT} WHERE ($1::varchar IS NULL OR a.status = $1) ${keyset} ORDER BY a.created_at DESC, a.id DESC LIMIT $2`,
      params,
    )) as AdjustmentRow[];
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toAdjustmentDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  /** USD the admin adjusted (or has waiting) in the last 24 hours, credits and debits alike. */
  private async requestedToday(em: EntityManager, adminId: string): Promise<Dec> {
    const [{ sum }] = (await em.query(
      `SELECT coalesce(sum(usd_value), 0)::text AS sum FROM ledger_adjustments WHERE requested_by = $1 AND status = ANY($2) AND created_at > now() - interval '24 hours'`,
      [adminId, WINDOW_STATUSES],
    )) as { sum: string }[];
    return dec(sum);
  }

  /** One journal per adjustment (reference `adjustment:<id>`, unique: never posted twice). */
  private post(em: EntityManager, id: string, userId: string, asset: string, amount: Dec, reason: string): Promise<string> {
    return this.ledger.post(em, {
      type: 'adjustment',
      reference: `adjustment:${id}`,
      userId,
      description: reason,
      lines: [
        { account: userAccount(userId), asset, amount, bucket: 'available', kind: 'adjustment' },
        { account: PLATFORM_TREASURY, asset, amount: amount.neg(), bucket: 'available', kind: 'adjustment' },
      ],
    });
  }

  private async checkCovers(em: EntityManager, userId: string, asset: string, amount: Dec): Promise<void> {
    const account = userAccount(userId);
    const row = (await this.ledger.lock(em, [{ account, asset }])).get(balanceKey(account, asset));
    const available = row?.available ?? dec(0);
    if (available.add(amount).isNegative()) throw insufficientFunds(asset, amount.neg(), available);
  }

  private async insert(
    em: EntityManager,
    a: { id: string; dto: LedgerAdjustmentDto; amount: Dec; usdValue: Dec; status: LedgerAdjustmentStatus; requestedBy: string; journalId: string | null },
  ): Promise<void> {
    await em.query(
      `INSERT INTO ledger_adjustments (id, user_id, asset, amount, usd_value, reason, status, requested_by, journal_id, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $10::boolean THEN now() END)`,
      [a.id, a.dto.userId, a.dto.asset, a.amount.toFixed(), a.usdValue.toFixed(8), a.dto.reason, a.status, a.requestedBy, a.journalId, a.status === 'posted'],
    );
  }

  /** Locks a held adjustment for a decision: 404 unknown, 403 for its requester, 409 once decided. */
  private async lockPending(em: EntityManager, id: string, admin: AuthUser, action: 'approve' | 'reject'): Promise<AdjustmentRow> {
    const [a] = (await em.query(`SELECT * FROM ledger_adjustments WHERE id = $1 FOR UPDATE`, [id])) as AdjustmentRow[];
    if (!a) throw notFound('No such ledger adjustment');
    if (a.requested_by === admin.id) throw forbidden('FORBIDDEN', `A different admin must ${action} this adjustment: you requested it`);
    if (a.status !== 'pending') throw conflict('INVALID_STATE', `The adjustment is ${a.status}; only pending adjustments can be ${action === 'approve' ? 'approved' : 'rejected'}`);
    return a;
  }

  private async row(em: EntityManager, id: string): Promise<AdjustmentRow> {
    const [row] = (await em.query(`${SELECT} WHERE a.id = $1`, [id])) as AdjustmentRow[];
    return row;
  }
}
