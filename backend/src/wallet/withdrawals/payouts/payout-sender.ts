import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../../audit/audit.service';
import { freshUsdValue } from '../../../common/market/fresh-quote';
import { MARKET_QUOTES, type MarketQuotes } from '../../../common/market/market-quotes';
import { dec, type Dec } from '../../../common/money/decimal';
import { AppConfig } from '../../../config/config.service';
import type { Tx } from '../../../database/unit-of-work';
import { PAYOUT_WEBHOOK_PATH } from '../../payments/ipn-delivery';
import { PAYMENT_PROVIDER } from '../../payments/payment-provider.factory';
import { PaymentProvider, PaymentProviderError, ProviderPayout } from '../../payments/payment-provider';
import { LedgerAdjustmentsRepository } from '../../ledger-adjustments.repository';
import type { WithdrawalRow } from '../withdrawal.mapper';
import { payoutCurrency } from './payout-currencies';
import { decideAutomation, ManualReason, payoutMismatches } from './payout-state';
import { PayoutRow, PayoutsRepository } from './payouts.repository';

/** The longest a payout that keeps failing waits before the next attempt. */
const MAX_RETRY_MS = 3_600_000;

/** What the approval decided: a payout to send after the commit (with its claim), or why an operator sends it. */
export type PayoutPlan = { send: true; token: string } | { send: false; reason: ManualReason | null };

/** 4xx answers that mean "not created, and it never will be as asked" (not a stale token, a timeout or a rate limit). */
const refusal = (e: unknown): e is PaymentProviderError =>
  e instanceof PaymentProviderError && e.status !== undefined && e.status >= 400 && e.status < 500 && ![401, 408, 409, 429].includes(e.status);

/**
 * Sends approved withdrawals through the provider's payouts API (ARCHITECTURE §3 "Automated payouts"):
 *
 * 1. plan, on the approval's transaction: under the caps, a `sending` payout row claimed by this instance, before
 *    anything is asked of the provider; else a `manual` row saying why an operator sends it;
 * 2. send, after the commit and with no transaction held: create the batch (`unique_external_id` = the withdrawal
 *    id), record the provider's ids, verify it with the payout account's 2FA code, record that.
 *
 * A sender that stops between the provider's create and our record leaves the row `sending`: the worker takes it up
 * once the claim expires and first looks the payout up by `unique_external_id`, so the provider gets one payout.
 * Nothing here completes or fails a withdrawal: that is the provider's status (PayoutStatuses).
 */
@Injectable()
export class PayoutSender {
  private readonly logger = new Logger('Payouts');

  constructor(
    private readonly config: AppConfig,
    private readonly repo: PayoutsRepository,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly audit: AuditService,
    private readonly adjustments: LedgerAdjustmentsRepository,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
  ) {}

  /** Whether approved withdrawals are sent automatically at all (PAYOUTS_AUTOMATIC and a provider that can). */
  get automatic(): boolean {
    return this.config.values.payoutsAutomatic && this.provider.payoutsEnabled;
  }

  /**
   * Step 1, on the approval's transaction (the withdrawal just became `approved`). With automation off nothing is
   * recorded: an operator completes the withdrawal as always. `approverId`: the admin whose approval completed it.
   * The per-withdrawal cap applies to the larger of its USD value when requested and at a fresh quote now; a user
   * credited by a ledger adjustment lately (PAYOUT_AUTO_ADJUSTMENT_LOOKBACK_DAYS), or ever by the approver, is paid by
   * an operator (one admin alone never pays out crypto he credited).
   */
  async plan(tx: Tx, w: WithdrawalRow, approverId: string): Promise<PayoutPlan> {
    if (!this.automatic) return { send: false, reason: null };
    const v = this.config.values;
    const currency = payoutCurrency(w.asset, w.network);
    // Decisions against the daily cap are taken one at a time, so two approvals cannot both fit under it.
    await this.repo.serializeDailyCap(tx);
    const recentAdjustment = await this.adjustments.recentCredit(tx, w.user_id, approverId, v.payoutAutoAdjustmentLookbackDays);
    const decision = decideAutomation({
      enabled: true,
      currency,
      usdValue: this.capValue(w),
      recentAdjustment,
      maxUsd: v.payoutAutoMaxUsd,
      dailyUsd: v.payoutAutoDailyUsd,
      sentTodayUsd: dec(await this.repo.automaticUsdToday(tx)),
    });
    const payout = {
      withdrawalId: w.id,
      provider: this.provider.name,
      currency: currency ?? null,
      amount: dec(w.amount),
      address: w.address,
      usdValue: dec(w.usd_value),
    };
    if (!decision.automatic) {
      await this.repo.insertManual(tx, payout, decision.reason);
      return { send: false, reason: decision.reason };
    }
    const token = randomUUID();
    await this.repo.insertSending(tx, payout, token, v.payoutClaimMs);
    return { send: true, token };
  }

  /** The larger of the USD value when requested and at a fresh quote now; undefined without a fresh quote. */
  private capValue(w: WithdrawalRow): Dec | undefined {
    const then = dec(w.usd_value);
    try {
      const now = freshUsdValue(this.quotes, w.asset, dec(w.amount), this.config.values.priceMaxAgeMs);
      return now.gt(then) ? now : then;
    } catch {
      return undefined;
    }
  }

  /**
   * Step 2: sends (or, `resume`, takes up) one payout and verifies it. Never throws: a failure is kept on the row
   * and the worker tries again after the claim. Returns the provider's payout when it is past `CREATING` (found by a
   * lookup after a crash, or already verified), for its status to be applied; else undefined.
   */
  async send(withdrawalId: string, token: string, resume: boolean): Promise<ProviderPayout | undefined> {
    let row: PayoutRow | undefined;
    try {
      row = await this.repo.claim(withdrawalId, token, this.config.values.payoutClaimMs, resume);
      if (!row) return undefined;
      return await this.sendClaimed(row, token);
    } catch (e) {
      const message = (e as Error).message;
      const attempts = row?.attempts ?? 1;
      this.logger.warn({ withdrawalId, attempt: attempts, err: message }, 'payout: attempt failed; the worker tries again');
      if (!row) return undefined;
      await this.repo.noteError(withdrawalId, message).catch(() => undefined);
      const backoff = Math.min(this.config.values.payoutWorkerIntervalMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
      await this.repo.release(withdrawalId, token, backoff).catch(() => undefined);
      return undefined;
    }
  }

  private async sendClaimed(row: PayoutRow, token: string): Promise<ProviderPayout | undefined> {
    const id = row.withdrawal_id;
    let batchId = row.provider_batch_id;
    let current: ProviderPayout | undefined;
    if (row.status === 'sending') {
      // A first attempt knows the provider has nothing yet; any later one may follow a create whose answer was lost.
      // The lookup is bounded well under the claim, and the claim is renewed before anything is created.
      const found =
        row.attempts > 1
          ? await this.provider.findPayout(id, new Date(row.created_at), Date.now() + Math.floor(this.config.values.payoutClaimMs / 3))
          : undefined;
      if (found) {
        const problems = payoutMismatches(found, this.record(row));
        if (problems.length) {
          if (found.status === 'CREATING') return this.mismatched(id, found, problems);
          // Already verified: the provider may be sending it, so it is not "left unverified" for an operator; it stays
          // live under the provider's ids (its statuses are checked against the withdrawal as they come) and is told.
          this.logger.error(
            { withdrawalId: id, payoutId: found.payoutId, status: found.status, problems },
            'payout: the provider holds another payout than asked, already verified; kept live',
          );
          await this.audit.record({
            action: 'wallet.payout_mismatch',
            details: { withdrawalId: id, payoutId: found.payoutId, status: found.status, problems },
          });
          const kept = await this.repo.recordProvider(
            id,
            { batchId: found.batchId, payoutId: found.payoutId, status: found.status, state: 'processing' },
            token,
          );
          return kept ? undefined : this.claimLost(id, 'record', found);
        }
        if (found.status === 'CREATING' || found.status === 'WAITING') {
          this.logger.log({ withdrawalId: id, payoutId: found.payoutId, status: found.status }, 'payout: found at the provider after an interrupted send');
        } else {
          // Past WAITING: verified by an attempt that stopped before recording it; kept live, its status settles it.
          this.logger.warn({ withdrawalId: id, payoutId: found.payoutId, status: found.status }, 'payout: found already verified at the provider; kept live');
        }
        current = found;
      } else {
        if (!(await this.repo.renew(id, token, this.config.values.payoutClaimMs))) return this.claimLost(id, 'create');
        current = await this.create(row);
        if (!current) return undefined;
      }
      batchId = current.batchId;
      const recorded = await this.repo.recordProvider(
        id,
        { batchId: current.batchId, payoutId: current.payoutId, status: current.status, state: current.status === 'CREATING' ? 'created' : 'processing' },
        token,
      );
      if (!recorded) return this.claimLost(id, 'record', current);
      if (current.status !== 'CREATING') return current;
    } else if (batchId) {
      // `created` taken up again: it may have been verified by an attempt that stopped before recording it.
      current = (await this.provider.getPayout(batchId)).find((p) => p.payoutId === row.provider_payout_id);
      if (current && current.status !== 'CREATING') {
        if (!(await this.repo.markVerified(id, token, { batchId, payoutId: current.payoutId }))) return this.claimLost(id, 'verify', current);
        return current;
      }
    }
    if (!batchId) return undefined;
    // Verify only while the claim is ours: renewed right before, so no other instance is working on it.
    if (!(await this.repo.renew(id, token, this.config.values.payoutClaimMs))) return this.claimLost(id, 'verify', current);
    await this.provider.verifyPayout(batchId);
    const payoutId = current?.payoutId ?? row.provider_payout_id;
    if (!(await this.repo.markVerified(id, token, { batchId, payoutId }))) return this.claimLost(id, 'verified', current);
    this.logger.log({ withdrawalId: id, batchId }, 'payout: verified; the provider sends it');
    // What the provider says of it now (best effort: its IPNs and the status check tell the rest).
    const now = await this.provider
      .getPayout(batchId)
      .then((list) => list.find((p) => p.payoutId === payoutId))
      .catch(() => undefined);
    if (!now) return undefined;
    await this.repo.recordProvider(id, { batchId, payoutId: now.payoutId, status: now.status, state: 'processing' });
    return ['FINISHED', 'FAILED', 'REJECTED'].includes(now.status) ? now : undefined;
  }

  /**
   * This sender's claim ran out while it worked and another instance took the payout over: it stops (never verifies
   * what it holds), and tells operators, with the provider's payout it may have created, to check for a second one.
   */
  private async claimLost(id: string, step: 'create' | 'record' | 'verify' | 'verified', p?: ProviderPayout): Promise<undefined> {
    const details = { withdrawalId: id, step, batchId: p?.batchId ?? null, payoutId: p?.payoutId ?? null };
    this.logger.error(details, 'payout: the claim was lost to another instance while sending; this sender stopped (check the provider for a second payout)');
    await this.audit.record({ action: 'wallet.payout_claim_lost', details }).catch(() => undefined);
    return undefined;
  }

  /** Creates the payout at the provider; undefined when the provider refused it (the withdrawal goes to an operator). */
  private async create(row: PayoutRow): Promise<ProviderPayout | undefined> {
    const id = row.withdrawal_id;
    let created: ProviderPayout;
    try {
      created = await this.provider.createPayout({
        externalId: id,
        currency: row.currency!,
        amount: dec(row.amount).toFixed(),
        address: row.address,
        ipnCallbackUrl: `${this.config.values.appUrl.replace(/\/+$/, '')}${PAYOUT_WEBHOOK_PATH}`,
        description: `CryptoVault withdrawal ${id}`,
      });
    } catch (e) {
      if (!refusal(e)) throw e;
      if (await this.repo.markManual(id, 'provider_refused', e.message)) {
        this.logger.error({ withdrawalId: id, err: e.message }, 'payout: the provider refused it; an operator sends it');
        await this.audit.record({ action: 'wallet.payout_refused', details: { withdrawalId: id, error: e.message.slice(0, 500) } });
      }
      return undefined;
    }
    // Tests only (refused in production): a crash between the provider's create and our record of it.
    if (this.config.values.payoutTestCrashAfterCreate) process.kill(process.pid, 'SIGKILL');
    const problems = payoutMismatches(created, this.record(row));
    if (problems.length) return this.mismatched(id, created, problems);
    this.logger.log({ withdrawalId: id, payoutId: created.payoutId, batchId: created.batchId }, 'payout: created at the provider');
    return created;
  }

  /**
   * The provider holds a payout under this withdrawal's id that is not what we asked (another amount, currency or
   * address): it is never verified, so never sent, and the withdrawal goes to an operator.
   */
  private async mismatched(id: string, p: ProviderPayout, problems: string[]): Promise<undefined> {
    const error = `the provider's payout ${p.payoutId} is not what was asked: ${problems.join('; ')}`;
    if (await this.repo.markManual(id, 'provider_mismatch', error)) {
      this.logger.error(
        { withdrawalId: id, payoutId: p.payoutId, problems },
        'payout: the provider holds another payout than asked; left unverified for an operator',
      );
      await this.audit.record({ action: 'wallet.payout_mismatch', details: { withdrawalId: id, payoutId: p.payoutId, problems } });
    }
    return undefined;
  }

  private record(row: PayoutRow) {
    return { withdrawalId: row.withdrawal_id, state: row.status, currency: row.currency, providerPayoutId: null, amount: row.amount, address: row.address };
  }
}
