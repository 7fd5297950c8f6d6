import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { UsersReader } from '../auth/users/users.reader';
import type { AuthUser } from '../common/auth/auth-user';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { conflict, forbidden, notFound, unprocessable, validationFailed } from '../common/errors/app-error';
import { freshUsdValue } from '../common/market/fresh-quote';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { CASH_ASSET, formatAmount } from '../common/money/amount-format';
import { Dec, dec, toFixedString } from '../common/money/decimal';
import { AppConfig } from '../config/config.service';
import { Tx, UnitOfWork } from '../database/unit-of-work';
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
import { AdjustmentRow, LedgerAdjustmentsRepository } from './ledger-adjustments.repository';

/** Statuses that count towards an admin's 24-hour total: everything not rejected. */
const WINDOW_STATUSES: LedgerAdjustmentStatus[] = ['pending', 'posted'];

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
    private readonly uow: UnitOfWork,
    private readonly adjustments: LedgerAdjustmentsRepository,
    private readonly users: UsersReader,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async create(admin: AuthUser, dto: LedgerAdjustmentDto): Promise<{ status: 201 | 202; body: LedgerAdjustmentResponseDto }> {
    const amount = dec(dto.amount);
    if (amount.isZero()) throw validationFailed([{ field: 'amount', message: 'Enter an amount other than 0' }]);
    if (dto.userId === admin.id) {
      await this.audit.record({
        action: 'ledger.adjustment_refused',
        userId: admin.id,
        actorId: admin.id,
        details: { asset: dto.asset, amount: amount.toFixed(), reason: dto.reason, why: 'own account' },
      });
      throw forbidden('FORBIDDEN', 'Admins cannot adjust their own account; another admin must do it');
    }
    if (dto.asset !== CASH_ASSET && !this.quotes.isKnown(dto.asset)) throw unprocessable('UNKNOWN_ASSET', `Unknown asset ${dto.asset}`);
    const usdValue = freshUsdValue(this.quotes, dto.asset, amount.abs(), this.config.values.priceMaxAgeMs);
    const threshold = this.config.values.ledgerAdjustmentDualApprovalUsd;

    const done = await this.uow.run(async (tx) => {
      if (!(await this.users.exists(dto.userId, tx))) throw notFound('No such user');
      // One admin's adjustments are serialised: the 24-hour total cannot be raced past the line.
      await this.adjustments.serializeAdmin(tx, admin.id);
      const windowUsd = (await this.requestedToday(tx, admin.id)).add(usdValue);
      const id = randomUUID();
      const common = {
        adjustmentId: id,
        asset: dto.asset,
        amount: formatAmount(amount, dto.asset),
        reason: dto.reason,
        usdValue: toFixedString(usdValue, 2),
        requestedBy: admin.id,
      };

      if (windowUsd.gte(dec(threshold))) {
        // Refuse now what could never be approved: a debit larger than what the user has.
        if (amount.isNegative()) await this.checkCovers(tx, dto.userId, dto.asset, amount);
        await this.insert(tx, { id, dto, amount, usdValue, status: 'pending', requestedBy: admin.id, journalId: null });
        await this.audit.record(
          {
            action: 'ledger.adjustment_requested',
            userId: dto.userId,
            actorId: admin.id,
            details: { ...common, windowUsd: toFixedString(windowUsd, 2), thresholdUsd: threshold },
          },
          tx,
        );
        return { status: 202 as const, journalId: null, row: await this.adjustments.find(tx, id) };
      }
      const journalId = await this.post(tx, id, dto.userId, dto.asset, amount, dto.reason);
      await this.insert(tx, { id, dto, amount, usdValue, status: 'posted', requestedBy: admin.id, journalId });
      await this.audit.record({ action: 'ledger.adjustment', userId: dto.userId, actorId: admin.id, details: { ...common, journalId, approvedBy: null } }, tx);
      return { status: 201 as const, journalId, row: await this.adjustments.find(tx, id) };
    });
    return { status: done.status, body: { journalId: done.journalId, adjustment: toAdjustmentDto(await this.withEmails(done.row)) } };
  }

  /** A second admin posts a held adjustment, once: concurrent approvals wait for the row and find it posted (409). */
  async approve(admin: AuthUser, id: string): Promise<LedgerAdjustmentResponseDto> {
    const done = await this.uow.run(async (tx) => {
      const a = await this.lockPending(tx, id, admin, 'approve');
      if (a.user_id === admin.id) throw forbidden('FORBIDDEN', 'Admins cannot approve an adjustment of their own account');
      const amount = dec(a.amount);
      const journalId = await this.post(tx, a.id, a.user_id, a.asset, amount, a.reason);
      await this.adjustments.markPosted(tx, a.id, admin.id, journalId);
      await this.audit.record(
        {
          action: 'ledger.adjustment',
          userId: a.user_id,
          actorId: admin.id,
          details: {
            adjustmentId: a.id,
            journalId,
            asset: a.asset,
            amount: formatAmount(amount, a.asset),
            reason: a.reason,
            usdValue: toFixedString(dec(a.usd_value), 2),
            requestedBy: a.requested_by,
            approvedBy: admin.id,
          },
        },
        tx,
      );
      return { journalId, row: await this.adjustments.find(tx, a.id) };
    });
    return { journalId: done.journalId, adjustment: toAdjustmentDto(await this.withEmails(done.row)) };
  }

  /** A second admin refuses a held adjustment: nothing is posted, and it cannot be approved afterwards. */
  async reject(admin: AuthUser, id: string, dto: RejectLedgerAdjustmentDto): Promise<LedgerAdjustmentResponseDto> {
    const row = await this.uow.run(async (tx) => {
      const a = await this.lockPending(tx, id, admin, 'reject');
      await this.adjustments.markRejected(tx, a.id, admin.id, dto.reason);
      await this.audit.record(
        {
          action: 'ledger.adjustment_rejected',
          userId: a.user_id,
          actorId: admin.id,
          details: {
            adjustmentId: a.id,
            asset: a.asset,
            amount: formatAmount(a.amount, a.asset),
            requestedBy: a.requested_by,
            rejectedBy: admin.id,
            rejectReason: dto.reason,
          },
        },
        tx,
      );
      return this.adjustments.find(tx, a.id);
    });
    return { journalId: null, adjustment: toAdjustmentDto(await this.withEmails(row)) };
  }

  /** Newest first, optionally by status (`?status=pending`: the queue a second admin works through). */
  async list(query: AdminLedgerAdjustmentQueryDto): Promise<AdminLedgerAdjustmentPageDto> {
    const limit = query.limit ?? 20;
    const cursor = decodeCursor(query.cursor, 'uuid');
    const rows = await this.adjustments.page(query.status, limit + 1, cursor);
    const emails = await this.users.emails(rows.slice(0, limit).flatMap((r) => [r.user_id, r.requested_by]));
    const items = rows
      .slice(0, limit)
      .map((r) => ({ ...r, user_email: emails.get(r.user_id) ?? null, requested_by_email: emails.get(r.requested_by) ?? null }));
    const last = items[items.length - 1];
    return { items: items.map(toAdjustmentDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  /** USD the admin adjusted (or has waiting) in the last 24 hours, credits and debits alike. */
  private async requestedToday(tx: Tx, adminId: string): Promise<Dec> {
    return dec(await this.adjustments.requestedToday(tx, adminId, WINDOW_STATUSES));
  }

  /** One journal per adjustment (reference `adjustment:<id>`, unique: never posted twice). */
  private post(tx: Tx, id: string, userId: string, asset: string, amount: Dec, reason: string): Promise<string> {
    return this.ledger.post(tx, {
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

  private async checkCovers(tx: Tx, userId: string, asset: string, amount: Dec): Promise<void> {
    const account = userAccount(userId);
    const row = (await this.ledger.lock(tx, [{ account, asset }])).get(balanceKey(account, asset));
    const available = row?.available ?? dec(0);
    if (available.add(amount).isNegative()) throw insufficientFunds(asset, amount.neg(), available);
  }

  private insert(
    tx: Tx,
    a: { id: string; dto: LedgerAdjustmentDto; amount: Dec; usdValue: Dec; status: LedgerAdjustmentStatus; requestedBy: string; journalId: string | null },
  ): Promise<void> {
    return this.adjustments.insert(tx, {
      id: a.id,
      userId: a.dto.userId,
      asset: a.dto.asset,
      amount: a.amount,
      usdValue: a.usdValue,
      reason: a.dto.reason,
      status: a.status,
      requestedBy: a.requestedBy,
      journalId: a.journalId,
    });
  }

  /** Locks a held adjustment for a decision: 404 unknown, 403 for its requester, 409 once decided. */
  private async lockPending(tx: Tx, id: string, admin: AuthUser, action: 'approve' | 'reject'): Promise<AdjustmentRow> {
    const a = await this.adjustments.lock(tx, id);
    if (!a) throw notFound('No such ledger adjustment');
    if (a.requested_by === admin.id) throw forbidden('FORBIDDEN', `A different admin must ${action} this adjustment: you requested it`);
    if (a.status !== 'pending')
      throw conflict('INVALID_STATE', `The adjustment is ${a.status}; only pending adjustments can be ${action === 'approve' ? 'approved' : 'rejected'}`);
    return a;
  }

  /** The row with the user's and the requester's emails, read after the transaction (UsersReader uses its own connection). */
  private async withEmails(row: AdjustmentRow): Promise<AdjustmentRow> {
    const emails = await this.users.emails([row.user_id, row.requested_by]);
    return { ...row, user_email: emails.get(row.user_id) ?? null, requested_by_email: emails.get(row.requested_by) ?? null };
  }
}
