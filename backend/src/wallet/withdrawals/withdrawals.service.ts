import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../audit/audit.service';
import { WebhookOutbox } from '../../auth/api-keys/webhooks/webhook-outbox';
import { SecurityHoldService } from '../../auth/security/security-hold.service';
import { TwoFactorService } from '../../auth/two-factor.service';
import { UsersReader } from '../../auth/users/users.reader';
import type { AuthUser } from '../../common/auth/auth-user';
import { decodeCursor, encodeCursor, PageQueryDto } from '../../common/dto/pagination.dto';
import { conflict, forbidden, notFound, unprocessable, validationFailed } from '../../common/errors/app-error';
import { freshUsdValue } from '../../common/market/fresh-quote';
import { MARKET_QUOTES, type MarketQuotes } from '../../common/market/market-quotes';
import { Dec, dec, toFixedString } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/prose-format';
import { AppConfig } from '../../config/config.service';
import { Tx, UnitOfWork } from '../../database/unit-of-work';
import { NotificationsService } from '../../notifications/notifications.service';
import { IdempotencyService } from '../../common/idempotency/idempotency.service';
import { LedgerService } from '../../ledger/ledger.service';
import { EXTERNAL_WITHDRAWALS, PLATFORM_FEES, userAccount } from '../../ledger/ledger.types';
import {
  AdminWithdrawalDto,
  AdminWithdrawalPageDto,
  AdminWithdrawalQueryDto,
  AdminWithdrawalResponseDto,
  CompleteWithdrawalDto,
  CreateWithdrawalDto,
  RejectWithdrawalDto,
  WithdrawalDto,
  WithdrawalPageDto,
  WithdrawalResponseDto,
  WithdrawalRulesResponseDto,
} from './dto/withdrawal.dto';
import { WithdrawalAddressesService } from '../addresses/withdrawal-addresses.service';
import { toAdminWithdrawalDto, toWithdrawalDto, WithdrawalRow } from './withdrawal.mapper';
import { WITHDRAWAL_AMOUNT_SCALE, WITHDRAWAL_RULES } from './withdrawal-rules';
import { WithdrawalsRepository } from './withdrawals.repository';
import { BlockExplorers } from './block-explorers';
import { CashOutJournals, CashOutTerms, isCashOut } from '../cash-out/cash-out-journals';
import { addressNetworkMismatch, availableAgain, cashOutNotificationData, describeCashOutRequest } from '../cash-out/cash-out-text';
import { canTransition, requiredApprovals, totalDebit, WithdrawalAction, withinDailyLimit } from './withdrawal-state';
import { type PayoutPlan, PayoutSender } from './payouts/payout-sender';
import { isLivePayout } from './payouts/payout-state';
import { toPayoutDto } from './payouts/payout.mapper';
import { PayoutsRepository } from './payouts/payouts.repository';

const IDEMPOTENCY_SCOPE = 'wallet.withdraw';
/** Where a withdrawal goes, as its owner knows it: “label” (address), or the label alone (`short`); the address when it has no label. */
const destination = (w: { addressLabel: string | null; address: string }, short = false): string =>
  w.addressLabel ? `“${w.addressLabel}”${short ? '' : ` (${w.address})`}` : w.address;
/** "0.002 BTC": an amount or fee of the withdrawn asset, for prose. */
const amountOf = (value: Dec | string, asset: string): string => formatMoney(value, asset);
const PAST: Record<WithdrawalAction, string> = { approve: 'approved', complete: 'completed', reject: 'rejected', cancel: 'cancelled' };

/**
 * Withdrawals (ARCHITECTURE §3): the amount plus the network fee moves from
 * available to locked when requested (under the balance row lock, so two
 * requests can never spend the same funds), leaves through
 * `external:withdrawals` (fee to `platform:fees`) when an admin completes it,
 * and goes back to available when rejected or cancelled. Every transition is
 * a guarded update of the locked row, so each happens once.
 */
@Injectable()
export class WithdrawalsService {
  private readonly logger = new Logger('Withdrawals');
  /** The block explorer of each network (defaults and BLOCK_EXPLORER_TX_URLS), for the links of sent payouts. */
  private readonly explorers: BlockExplorers;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly withdrawals: WithdrawalsRepository,
    private readonly users: UsersReader,
    private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly twoFactor: TwoFactorService,
    private readonly audit: AuditService,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    private readonly notifications: NotificationsService,
    private readonly addresses: WithdrawalAddressesService,
    private readonly holds: SecurityHoldService,
    private readonly cashOuts: CashOutJournals,
    private readonly payoutSender: PayoutSender,
    private readonly payouts: PayoutsRepository,
    private readonly webhooks: WebhookOutbox,
  ) {
    this.explorers = new BlockExplorers(config.values.blockExplorerTxUrls);
  }

  async create(user: AuthUser, dto: CreateWithdrawalDto, idempotencyKey: string | undefined): Promise<WithdrawalResponseDto> {
    await this.assertMayRequest(user, dto);

    const rule = WITHDRAWAL_RULES[dto.asset];
    if (!rule) throw unprocessable('UNKNOWN_ASSET', `${dto.asset} cannot be withdrawn (withdrawable: ${Object.keys(WITHDRAWAL_RULES).join(', ')})`);
    // Only to a saved address of this user, for this asset, confirmed and past its hold; checked before a code is used up
    // (and again, share-locked, inside the transaction).
    await this.addresses.requireUsable(user.id, dto.addressId, dto.asset);
    const amount = dec(dto.amount);
    if (amount.lt(rule.minimum)) {
      throw unprocessable('BELOW_MINIMUM', `The smallest ${dto.asset} withdrawal is ${rule.minimum} ${dto.asset}`, [
        { field: 'amount', message: `Enter at least ${rule.minimum} ${dto.asset}` },
      ]);
    }
    const fee = dec(rule.fee);
    const usdValue = this.usdValue(dto.asset, amount);
    const body = { asset: dto.asset, amount: amount.toFixed(), addressId: dto.addressId };

    // A replay of a finished request answers the first result without asking for a new code.
    // Wrong codes count on the confirmation counter (429 ACCOUNT_LOCKED once the session or the account is locked out).
    // A request signed with a `withdraw` API key brings no code: the key was made under a step-up, only works from its IP
    // allowlist, and sends only to confirmed address-book entries (API.md "API keys").
    if (!user.apiKey && !(await this.idempotency.isReplay(user.id, IDEMPOTENCY_SCOPE, idempotencyKey)))
      await this.twoFactor.requireSecondFactor(user, 'wallet.withdraw', { code: dto.twoFactorCode, passkey: dto.passkey });

    let created = false;
    const result = await this.idempotency.run<WithdrawalResponseDto>({ userId: user.id, scope: IDEMPOTENCY_SCOPE, key: idempotencyKey, body }, async (tx) => {
      const res = await this.createLocked(tx, user.id, { ...body, amount, fee, usdValue });
      created = true;
      return res;
    });
    if (created) await this.notifyRequested(user.id, result.withdrawal);
    return result;
  }

  /**
   * What every withdrawal request (a cash-out too) passes before anything else: two-factor on (403
   * TWO_FACTOR_NOT_ENABLED), a code or a passkey sent (400), and no security hold or freeze (403).
   */
  async assertMayRequest(user: AuthUser, dto: { twoFactorCode?: string; passkey?: unknown }): Promise<void> {
    // 401 UNAUTHENTICATED when the account no longer exists.
    if (!(await this.twoFactor.status(user.id)).enabled) throw forbidden('TWO_FACTOR_NOT_ENABLED', 'Turn on two-factor authentication before withdrawing');
    if (!dto.twoFactorCode && !dto.passkey && !user.apiKey) {
      throw validationFailed([{ field: 'twoFactorCode', message: 'Enter the 6-digit code from your authenticator app, or confirm with a passkey' }]);
    }
    // 403 ACCOUNT_FROZEN, or SECURITY_HOLD (until when and why) after a password reset, a 2FA change, an unfreeze...
    await this.holds.assertMayWithdraw(user.id);
  }

  /** The "withdrawal requested" notification and email, after the commit (a cash-out's says what it converted). */
  async notifyRequested(userId: string, w: WithdrawalDto): Promise<void> {
    if (w.cashOut) {
      const text = describeCashOutRequest(w, destination(w));
      await this.email(userId, w, text.subject, text.body);
      return;
    }
    await this.email(
      userId,
      w,
      `Withdrawal requested: ${amountOf(w.amount, w.asset)}`,
      `We received your request to withdraw ${amountOf(w.amount, w.asset)} (fee ${amountOf(w.fee, w.asset)}) to your saved address ${destination(w)} on ${w.network}. ` +
        `${amountOf(w.total, w.asset)} is held until it is sent. If this was not you, cancel it and change your password now.`,
    );
  }

  /** A withdrawal as its owner sees it, read on `tx` (a cash-out answering the withdrawal its quote made). */
  async withdrawalOn(tx: Tx, id: string): Promise<WithdrawalDto> {
    return toWithdrawalDto(await this.row(tx, id), this.explorers);
  }

  /**
   * Creates the withdrawal on `tx`: limits, approvals, the row, its funding and the audit record. An ordinary
   * withdrawal holds amount + fee of the asset; a cash-out (`cashOut`) is funded by its one conversion journal
   * (CashOutJournals.fund: the dollars debited, the stablecoin held) and must go to an address on its quote's network.
   */
  async createLocked(
    tx: Tx,
    userId: string,
    w: { asset: string; amount: Dec; fee: Dec; addressId: string; usdValue: Dec; cashOut?: CashOutTerms },
  ): Promise<WithdrawalResponseDto> {
    // One user's withdrawals are serialised, so the 24-hour sum cannot be raced past the limit
    // (nor past the dual-approval line by parts requested at once).
    await this.withdrawals.serializeUser(tx, userId);
    // Share-locked until the commit: a removal waits for this withdrawal, or this one sees it removed.
    const to = await this.addresses.requireUsable(userId, w.addressId, w.asset, tx);
    if (w.cashOut && to.network !== w.cashOut.network) throw addressNetworkMismatch(to.network, w.asset, w.cashOut.network);
    const sum = await this.usedToday(userId, tx);
    const limit = this.config.values.withdrawalDailyLimitUsd;
    if (!withinDailyLimit(sum, w.usdValue, limit)) {
      const left = Dec.max(dec(limit).sub(sum), 0);
      throw unprocessable('LIMIT_EXCEEDED', `Withdrawals are limited to ${limit} USD per 24 hours; ${toFixedString(left, 2)} USD left`);
    }
    // Dual approval looks at the 24-hour sum with this one, so splitting an amount into parts under the line does not avoid it.
    const approvals = requiredApprovals(sum.add(w.usdValue), this.config.values.withdrawalDualApprovalUsd);
    const id = randomUUID();
    const total = totalDebit(w.amount, w.fee);
    await this.withdrawals.insert(tx, {
      id,
      userId,
      asset: w.asset,
      network: to.network,
      address: to.address,
      addressId: to.id,
      addressLabel: to.label,
      amount: w.amount,
      fee: w.fee,
      usdValue: w.usdValue,
      requiredApprovals: approvals,
      cashOut: w.cashOut && { quoteId: w.cashOut.quoteId, usdAmount: w.cashOut.usdAmount, fee: w.cashOut.fee, price: w.cashOut.price },
    });
    if (w.cashOut) {
      await this.cashOuts.fund(tx, { id, userId, to: destination({ addressLabel: to.label, address: to.address }, true), terms: w.cashOut });
    } else {
      await this.ledger.hold(tx, {
        account: userAccount(userId),
        asset: w.asset,
        amount: total,
        type: 'withdrawal_hold',
        reference: `withdrawal:${id}:hold`,
        userId,
        description: `Withdrawal of ${amountOf(w.amount, w.asset)} to ${destination({ addressLabel: to.label, address: to.address }, true)} requested: ${amountOf(total, w.asset)} held (fee ${amountOf(w.fee, w.asset)})`,
      });
    }
    await this.audit.record(
      {
        action: 'wallet.withdrawal_requested',
        userId,
        details: {
          withdrawalId: id,
          asset: w.asset,
          amount: w.amount.toFixed(),
          fee: w.fee.toFixed(),
          network: to.network,
          address: to.address,
          addressId: to.id,
          usdValue: w.usdValue.toFixed(2),
          windowUsd: sum.add(w.usdValue).toFixed(2),
          requiredApprovals: approvals,
          ...(w.cashOut
            ? {
                cashOut: {
                  quoteId: w.cashOut.quoteId,
                  usdAmount: w.cashOut.usdAmount.toFixed(2),
                  fee: w.cashOut.fee.toFixed(),
                  price: w.cashOut.price.toFixed(),
                },
              }
            : {}),
        },
      },
      tx,
    );
    return { withdrawal: toWithdrawalDto(await this.announce(tx, id), this.explorers) };
  }

  async get(userId: string, id: string): Promise<WithdrawalResponseDto> {
    const row = await this.withdrawals.find(id, { ownerId: userId });
    if (!row) throw notFound('Withdrawal not found');
    return { withdrawal: toWithdrawalDto(row, this.explorers) };
  }

  async list(userId: string, page: PageQueryDto): Promise<WithdrawalPageDto> {
    const { rows, nextCursor } = await this.page({ userId }, page);
    return { items: rows.map((r) => toWithdrawalDto(r, this.explorers)), nextCursor };
  }

  async adminList(query: AdminWithdrawalQueryDto): Promise<AdminWithdrawalPageDto> {
    const { rows, nextCursor } = await this.page({ status: query.status }, query, true);
    const payouts = new Map((await this.payouts.findMany(rows.map((r) => r.id))).map((p) => [p.withdrawal_id, p]));
    return { items: rows.map((r) => toAdminWithdrawalDto(r, this.explorers, toPayoutDto(payouts.get(r.id)))), nextCursor };
  }

  /** The user cancels while pending; the hold is released once (a second cancel finds it cancelled: 409). */
  async cancel(user: AuthUser, id: string): Promise<WithdrawalResponseDto> {
    const w = await this.uow.run(async (tx) => {
      const row = await this.lockFor(tx, id, 'cancel', user.id);
      await this.withdrawals.markCancelled(tx, id);
      await this.releaseHold(tx, row, 'cancelled');
      await this.audit.record({ action: 'wallet.withdrawal_cancelled', userId: user.id, details: { withdrawalId: id } }, tx);
      return this.announce(tx, id);
    });
    const dto = toWithdrawalDto(w, this.explorers);
    await this.email(
      w.user_id,
      dto,
      `Withdrawal cancelled: ${amountOf(dto.amount, dto.asset)}`,
      `Your withdrawal of ${amountOf(dto.amount, dto.asset)} to ${destination(dto, true)} was cancelled; ${availableAgain(dto)}.`,
    );
    return { withdrawal: dto };
  }

  /**
   * An admin approves. At or above WITHDRAWAL_DUAL_APPROVAL_USD it stays
   * pending until a second, different admin approves; the same admin twice
   * is 409. Nobody approves their own withdrawal.
   * Once approved, with automated payouts and under their caps, its payout is recorded in the same transaction and
   * sent to the provider after the commit (PayoutSender); above a cap an operator sends it.
   */
  async approve(admin: AuthUser, id: string): Promise<AdminWithdrawalResponseDto> {
    const {
      row: decided,
      approved,
      plan,
    } = await this.uow.run(async (tx) => {
      const w = await this.lockFor(tx, id, 'approve');
      if (w.user_id === admin.id) throw forbidden('FORBIDDEN', 'Admins cannot approve their own withdrawals');
      const { added, count } = await this.withdrawals.addApproval(tx, id, admin.id);
      if (!added) throw conflict('ALREADY_EXISTS', 'You already approved this withdrawal; a different admin must give the second approval');
      const done = count >= Number(w.required_approvals);
      let plan: PayoutPlan = { send: false, reason: null };
      if (done) {
        await this.withdrawals.markApproved(tx, id);
        plan = await this.payoutSender.plan(tx, w, admin.id);
      }
      await this.audit.record(
        {
          action: done ? 'wallet.withdrawal_approved' : 'wallet.withdrawal_approval_recorded',
          userId: w.user_id,
          actorId: admin.id,
          details: {
            withdrawalId: id,
            approvals: count,
            required: w.required_approvals,
            ...(done ? { payout: plan.send ? 'automatic' : (plan.reason ?? 'by_operator') } : {}),
          },
        },
        tx,
      );
      return { row: done ? await this.announce(tx, id) : await this.row(tx, id), approved: done, plan };
    });
    // Handed off after the commit, not awaited (the provider's exchange may take tens of seconds): the answer shows
    // the payout `sending`; whatever fails is kept on the payout and taken up by the payout worker.
    if (plan.send) {
      const token = plan.token;
      void this.payoutSender
        .send(id, token, false)
        .catch((e: unknown) => this.logger.error({ withdrawalId: id, err: (e as Error).message }, 'payout: send failed'));
    }
    const row = await this.withEmail(decided);
    if (approved) {
      const dto = toWithdrawalDto(row, this.explorers);
      await this.email(
        row.user_id,
        dto,
        `Withdrawal approved: ${amountOf(dto.amount, dto.asset)}`,
        `Your withdrawal of ${amountOf(dto.amount, dto.asset)} to ${destination(dto)} was approved and will be sent shortly.`,
      );
    }
    return { withdrawal: await this.adminDto(row) };
  }

  /**
   * An operator sent the payout and enters its hash: the held amount leaves to external:withdrawals and the fee to
   * platform:fees, once. Refused (409) while an automatic payout of it is under way: the provider's status settles it.
   */
  async complete(admin: AuthUser, id: string, dto: CompleteWithdrawalDto): Promise<AdminWithdrawalResponseDto> {
    const row = await this.uow
      .run(async (tx) => {
        const w = await this.lockFor(tx, id, 'complete');
        await this.refuseWhilePayoutLive(tx, id);
        await this.completeLocked(tx, w, dto.txHash, admin.id);
        return this.row(tx, id);
      })
      .then((r) => this.withEmail(r));
    await this.notifySent(row);
    return { withdrawal: await this.adminDto(row) };
  }

  /**
   * Completes an approved withdrawal on `tx` (its row locked by the caller) with the payout's transaction hash: by
   * an operator (`actorId`), or on the provider's confirmation of its automatic payout (`actorId` null, `payout`
   * saying which). The journal's reference (`withdrawal:<id>:complete`) makes it once whatever calls it.
   */
  async completeLocked(tx: Tx, w: WithdrawalRow, txHash: string, actorId: string | null, payout?: Record<string, unknown>): Promise<void> {
    const id = w.id;
    await this.withdrawals.markCompleted(tx, id, txHash);
    const amount = dec(w.amount);
    const fee = dec(w.fee);
    await this.ledger.post(tx, {
      type: 'withdrawal',
      reference: `withdrawal:${id}:complete`,
      userId: w.user_id,
      description: `Withdrawal of ${amountOf(amount, w.asset)} sent to ${destination({ addressLabel: w.address_label, address: w.address }, true)} (fee ${amountOf(fee, w.asset)})`,
      lines: [
        { account: userAccount(w.user_id), asset: w.asset, amount: amount.neg(), bucket: 'locked', kind: 'withdrawal' },
        { account: EXTERNAL_WITHDRAWALS, asset: w.asset, amount, bucket: 'available', kind: 'withdrawal' },
        { account: userAccount(w.user_id), asset: w.asset, amount: fee.neg(), bucket: 'locked', kind: 'fee' },
        { account: PLATFORM_FEES, asset: w.asset, amount: fee, bucket: 'available', kind: 'fee' },
      ],
    });
    await this.audit.record(
      { action: 'wallet.withdrawal_completed', userId: w.user_id, actorId, details: { withdrawalId: id, txHash, ...(payout ? { payout } : {}) } },
      tx,
    );
    await this.announce(tx, id);
  }

  /** "Withdrawal sent" to the owner (in-app, /ws/user, email), after the commit of a completion. */
  async notifyCompleted(id: string): Promise<void> {
    const row = await this.withdrawals.find(id);
    if (row) await this.notifySent(row);
  }

  private async notifySent(row: WithdrawalRow): Promise<void> {
    const w = toWithdrawalDto(row, this.explorers);
    await this.email(
      row.user_id,
      w,
      `Withdrawal sent: ${amountOf(w.amount, w.asset)}`,
      `Your withdrawal of ${amountOf(w.amount, w.asset)} to ${destination(w)} was sent. Transaction: ${w.txHash}`,
    );
  }

  /** An admin rejects a pending or approved withdrawal with a reason: its hold is released once. Refused (409) while an automatic payout of it is under way. */
  async reject(admin: AuthUser, id: string, dto: RejectWithdrawalDto): Promise<AdminWithdrawalResponseDto> {
    const row = await this.uow
      .run(async (tx) => {
        const w = await this.lockFor(tx, id, 'reject');
        await this.refuseWhilePayoutLive(tx, id);
        await this.rejectLocked(tx, w, dto.reason, admin.id);
        return this.row(tx, id);
      })
      .then((r) => this.withEmail(r));
    await this.notifyRejectedRow(row, dto.reason);
    return { withdrawal: await this.adminDto(row) };
  }

  /**
   * Rejects a withdrawal on `tx` (its row locked by the caller) and releases its hold: by an admin (`actorId`), or
   * because its automatic payout failed at the provider (`actorId` null, `payout` saying which). The release's
   * journal reference (`withdrawal:<id>:release`) makes it once whatever calls it.
   */
  async rejectLocked(tx: Tx, w: WithdrawalRow, reason: string, actorId: string | null, payout?: Record<string, unknown>): Promise<void> {
    await this.withdrawals.markRejected(tx, w.id, reason);
    await this.releaseHold(tx, w, 'rejected');
    await this.audit.record(
      { action: 'wallet.withdrawal_rejected', userId: w.user_id, actorId, details: { withdrawalId: w.id, reason, ...(payout ? { payout } : {}) } },
      tx,
    );
    await this.announce(tx, w.id);
  }

  /** "Withdrawal rejected" to the owner, after the commit of a rejection. */
  async notifyRejected(id: string, reason: string): Promise<void> {
    const row = await this.withdrawals.find(id);
    if (row) await this.notifyRejectedRow(row, reason);
  }

  private async notifyRejectedRow(row: WithdrawalRow, reason: string): Promise<void> {
    const w = toWithdrawalDto(row, this.explorers);
    await this.email(
      row.user_id,
      w,
      `Withdrawal rejected: ${amountOf(w.amount, w.asset)}`,
      `Your withdrawal of ${amountOf(w.amount, w.asset)} to ${destination(w, true)} was rejected: ${reason}. ${availableAgain(w)}.`,
    );
  }

  /** 409 while an automatic payout of the withdrawal is under way (its row is locked by the caller, so none can start meanwhile). */
  private async refuseWhilePayoutLive(tx: Tx, id: string): Promise<void> {
    const payout = await this.payouts.find(id, tx);
    if (isLivePayout(payout?.status)) {
      throw conflict(
        'INVALID_STATE',
        'A payout of this withdrawal is under way at the payment provider: it completes when the provider confirms it, or its hold is released if it fails',
      );
    }
  }

  /** One withdrawal as the back office sees it (after an action elsewhere, e.g. a payout resolved); 404 if there is none. */
  async adminView(id: string): Promise<AdminWithdrawalResponseDto> {
    const row = await this.withdrawals.find(id);
    if (!row) throw notFound('Withdrawal not found');
    return { withdrawal: await this.adminDto(await this.withEmail(row)) };
  }

  /** A withdrawal as the back office sees it: with its user's email (on `row`) and its payout. */
  private async adminDto(row: WithdrawalRow): Promise<AdminWithdrawalDto> {
    return toAdminWithdrawalDto(row, this.explorers, toPayoutDto(await this.payouts.find(row.id)));
  }

  /**
   * The rules `create` enforces, read from the same table and config, plus
   * what is left of this user's 24-hour limit.
   */
  async rules(userId: string): Promise<WithdrawalRulesResponseDto> {
    const limit = this.config.values.withdrawalDailyLimitUsd;
    const used = await this.usedToday(userId);
    return {
      rules: {
        assets: Object.values(WITHDRAWAL_RULES).map((r) => ({
          asset: r.asset,
          minimum: r.minimum,
          fee: r.fee,
          decimals: WITHDRAWAL_AMOUNT_SCALE,
          networks: r.networks.map((n, i) => ({ name: n.name, addressHint: n.hint, isDefault: i === 0, explorerTxUrl: this.explorers.txUrlTemplate(n.name) })),
        })),
        dailyLimitUsd: limit,
        dailyRemainingUsd: toFixedString(Dec.max(dec(limit).sub(used), 0), 2),
        dualApprovalUsd: this.config.values.withdrawalDualApprovalUsd,
      },
    };
  }

  /** USD the user withdrew or has in flight in the last 24 hours. */
  async usedToday(userId: string, tx?: Tx): Promise<Dec> {
    return dec(await this.withdrawals.usedToday(userId, tx));
  }

  /** USD value at a fresh quote (PRICE_MAX_AGE_MS), for the daily limit and the dual-approval line; 422 PRICE_STALE without one. */
  private usdValue(asset: string, amount: Dec): Dec {
    return freshUsdValue(this.quotes, asset, amount, this.config.values.priceMaxAgeMs);
  }

  /** Locks the withdrawal row; 404 if it is not there (or not the user's), 409 if the action is not allowed from its status. */
  private async lockFor(tx: Tx, id: string, action: WithdrawalAction, ownerId?: string): Promise<WithdrawalRow> {
    const row = await this.withdrawals.lock(tx, id, ownerId);
    if (!row) throw notFound('Withdrawal not found');
    if (!canTransition(row.status, action)) throw conflict('INVALID_STATE', `The withdrawal is ${row.status}; it cannot be ${PAST[action]}`);
    return row;
  }

  private releaseHold(tx: Tx, w: WithdrawalRow, why: 'cancelled' | 'rejected'): Promise<string> {
    // A cash-out gives back its dollars at its quote's price, the fee included, not the stablecoin it held.
    if (isCashOut(w)) return this.cashOuts.reverse(tx, w, why);
    const total = totalDebit(dec(w.amount), dec(w.fee));
    return this.ledger.release(tx, {
      account: userAccount(w.user_id),
      asset: w.asset,
      amount: total,
      type: 'withdrawal_release',
      reference: `withdrawal:${w.id}:release`,
      userId: w.user_id,
      description: `Withdrawal of ${amountOf(w.amount, w.asset)} ${why}: ${amountOf(total, w.asset)} available again`,
    });
  }

  /**
   * `withdrawal.updated` for the owner's webhooks, written in `tx` (the outbox), at the request and at every change of
   * status: the withdrawal as its owner sees it now. Returns the row.
   */
  private async announce(tx: Tx, id: string): Promise<WithdrawalRow> {
    const row = await this.row(tx, id);
    await this.webhooks.record(tx, row.user_id, 'withdrawal.updated', toWithdrawalDto(row, this.explorers));
    return row;
  }

  private async row(tx: Tx, id: string): Promise<WithdrawalRow> {
    return (await this.withdrawals.find(id, { tx }))!;
  }

  /** The row with its user's email (for admins), read after the transaction: UsersReader uses its own connection. */
  private async withEmail(row: WithdrawalRow): Promise<WithdrawalRow> {
    return { ...row, user_email: await this.users.email(row.user_id) };
  }

  private async page(
    filter: { userId?: string; status?: string },
    page: PageQueryDto,
    withEmail = false,
  ): Promise<{ rows: WithdrawalRow[]; nextCursor: string | null }> {
    const limit = page.limit ?? 20;
    const cursor = decodeCursor(page.cursor, 'uuid');
    const rows = await this.withdrawals.page(filter, limit + 1, cursor);
    let items = rows.slice(0, limit);
    if (withEmail) {
      const emails = await this.users.emails(items.map((r) => r.user_id));
      items = items.map((r) => ({ ...r, user_email: emails.get(r.user_id) }));
    }
    const last = items[items.length - 1];
    return { rows: items, nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  /** Every state change: an in-app notification, `withdrawal_updated` on /ws/user, and an email; after the commit. */
  private async email(userId: string, w: WithdrawalDto, subject: string, text: string): Promise<void> {
    try {
      await this.notifications.notify(userId, {
        type: 'withdrawal_updated',
        title: subject,
        body: text,
        // What the text says, as figures: the client writes the notification in the customer's language from them.
        data: {
          withdrawalId: w.id,
          status: w.status,
          asset: w.asset,
          amount: w.amount,
          fee: w.fee,
          total: w.total,
          network: w.network,
          address: w.address,
          addressLabel: w.addressLabel,
          txHash: w.txHash,
          rejectReason: w.rejectReason ?? null,
          ...cashOutNotificationData(w),
        },
        email: true,
      });
    } catch (e) {
      this.logger.error(`withdrawal notification failed ${JSON.stringify({ err: (e as Error).message, withdrawalId: w.id, subject })}`);
    }
  }
}
