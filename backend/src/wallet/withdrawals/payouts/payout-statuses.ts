import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../../audit/audit.service';
import type { AuthUser } from '../../../common/auth/auth-user';
import { AppError, badRequest, conflict, notFound, validationFailed } from '../../../common/errors/app-error';
import { FailureLimiter } from '../../../common/guards/failure-limiter';
import { rateLimited } from '../../../common/guards/rate-limit.guard';
import { isUuid } from '../../../common/pipes/id.pipes';
import { requestContext } from '../../../common/request-context';
import { UnitOfWork } from '../../../database/unit-of-work';
import { verifyIpnSignature } from '../../payments/ipn-signature';
import { IpnSecret, PAYMENT_PROVIDER } from '../../payments/payment-provider.factory';
import { type PaymentProvider, PaymentProviderError, type ProviderPayout } from '../../payments/payment-provider';
import { readPayoutObject } from '../../payments/payout-object';
import { WithdrawalsRepository } from '../withdrawals.repository';
import { WithdrawalsService } from '../withdrawals.service';
import type { PayoutOutcome } from './dto/payout.dto';
import { decidePayout, isLivePayout, payoutMismatches } from './payout-state';
import { PayoutsRepository } from './payouts.repository';

/** Why the withdrawal was rejected when its payout failed: told to its owner. */
export const PAYOUT_FAILED_REASON = 'The payment provider could not send it';

/**
 * Applies the provider's payout statuses to withdrawals: the signed status IPNs (HMAC-SHA512 of the sorted body,
 * as payment IPNs) and the status checks of payouts whose IPN never came. Each is matched to the withdrawal (our
 * id, the provider's payout id, the amount, currency and address) before anything; a mismatch is refused, recorded
 * and audited. Under the withdrawal's row lock, then the payout's: `FINISHED` with its hash completes the
 * withdrawal (the ledger's `withdrawal:<id>:complete` journal), `FAILED`/`REJECTED` releases its hold and rejects
 * it, each exactly once however many times and however concurrently it is told; anything else is recorded.
 */
@Injectable()
export class PayoutStatuses {
  private readonly logger = new Logger('Payouts');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: PayoutsRepository,
    private readonly withdrawalRows: WithdrawalsRepository,
    private readonly withdrawals: WithdrawalsService,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly ipnSecret: IpnSecret,
    private readonly audit: AuditService,
    private readonly failures: FailureLimiter,
  ) {}

  /** The payout status webhook: verified before anything is read; 400 for a bad signature, a malformed or a mismatching status. */
  async handleIpn(body: unknown, signature: string | undefined): Promise<{ received: true; outcome: PayoutOutcome }> {
    if (!verifyIpnSignature(body, signature, this.ipnSecret.value)) {
      // As the payment webhook: only failures count, per address; a correctly signed IPN is never refused.
      const ip = requestContext.getStore()?.ip ?? 'unknown';
      const verdict = await this.failures.count('ipnSignature', ip);
      if (verdict.over) throw rateLimited(verdict.retryMs);
      const b = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
      this.logger.warn(`payout IPN refused: invalid signature ${JSON.stringify({ id: b.id, signed: typeof signature === 'string' })}`);
      throw badRequest('INVALID_SIGNATURE', 'The x-nowpayments-sig signature does not match the body');
    }
    const read = readPayoutObject(body);
    if (!read.ok) {
      this.logger.warn(`payout IPN refused: malformed ${JSON.stringify({ problems: read.problems })}`);
      throw validationFailed(read.problems.map((message) => ({ field: message.split(' ')[0], message })));
    }
    const result = await this.apply(read.payout, 'ipn', body as Record<string, unknown>);
    if (result.problems.length) throw validationFailed(result.problems.map((message) => ({ field: message.split(' ')[0], message })));
    return { received: true, outcome: result.outcome };
  }

  /** Applies one status of a payout (an IPN's, or a status check's); tells the owner after the commit. */
  async apply(p: ProviderPayout, source: 'ipn' | 'api', payload: Record<string, unknown>): Promise<{ outcome: PayoutOutcome; problems: string[] }> {
    const event = { provider: this.provider.name, providerPayoutId: p.payoutId, status: p.status, source, payload };
    const found = await this.repo.findByProviderId(this.provider.name, p.payoutId, p.externalId && isUuid(p.externalId) ? p.externalId : null);
    if (!found) {
      this.logger.warn({ payoutId: p.payoutId, externalId: p.externalId, status: p.status }, 'payout status for no payout of ours: nothing changed');
      await this.repo.recordEvent(undefined, { ...event, withdrawalId: null, outcome: 'unknown' });
      return { outcome: 'unknown', problems: [] };
    }
    const id = found.withdrawal_id;
    const result = await this.uow.run(async (tx): Promise<{ outcome: PayoutOutcome; problems: string[] }> => {
      // The withdrawal's row first, then the payout's: the order every path takes.
      const w = await this.withdrawalRows.lock(tx, id);
      const row = await this.repo.lock(tx, id);
      if (!w || !row) return { outcome: 'unknown', problems: [] };
      const record = (outcome: PayoutOutcome) => this.repo.recordEvent(tx, { ...event, withdrawalId: id, outcome });
      const problems = payoutMismatches(p, {
        withdrawalId: id,
        state: row.status,
        currency: row.currency,
        providerPayoutId: row.provider_payout_id,
        amount: w.amount,
        address: w.address,
      });
      if (problems.length) {
        // A stuck status the check finds again every PAYOUT_STATUS_CHECK_MS is written (and audited) once.
        if (source === 'api' && (await this.repo.repeatsLastEvent(tx, id, { status: p.status, outcome: 'mismatch', payload })))
          return { outcome: 'mismatch', problems };
        this.logger.error({ withdrawalId: id, payoutId: p.payoutId, status: p.status, problems }, 'payout status refused: it does not match the withdrawal');
        await record('mismatch');
        await this.audit.record(
          {
            action: 'wallet.payout_status_refused',
            userId: w.user_id,
            details: { withdrawalId: id, payoutId: p.payoutId, status: p.status, source, problems },
          },
          tx,
        );
        return { outcome: 'mismatch', problems };
      }
      let decision = decidePayout(row.status, row.provider_status, p);
      // A payout settles an approved withdrawal only (it can be neither completed nor rejected by hand while live).
      if ((decision.action === 'finish' || decision.action === 'fail') && w.status !== 'approved') decision = { action: 'late' };
      const ids = { batchId: p.batchId, payoutId: p.payoutId, status: p.status };
      switch (decision.action) {
        case 'duplicate':
          // A status check that finds nothing new is no event (it runs every PAYOUT_STATUS_CHECK_MS while the payout is under way).
          if (source === 'ipn') await record('duplicate');
          return { outcome: 'duplicate', problems: [] };
        case 'record':
          await this.repo.recordStatus(tx, id, { ...ids, state: decision.state });
          await record('recorded');
          return { outcome: 'recorded', problems: [] };
        case 'incomplete':
          await record('incomplete');
          return { outcome: 'incomplete', problems: ['hash is missing: a finished payout names its transaction'] };
        case 'late':
          this.logger.error(
            { withdrawalId: id, payoutId: p.payoutId, status: p.status, payout: row.status, withdrawal: w.status },
            'payout status contradicts a settled payout: nothing changed, an operator must look',
          );
          await record('late');
          await this.audit.record(
            {
              action: 'wallet.payout_late_status',
              userId: w.user_id,
              details: { withdrawalId: id, payoutId: p.payoutId, status: p.status, source, payout: row.status },
            },
            tx,
          );
          return { outcome: 'late', problems: [] };
        case 'finish':
          await this.withdrawals.completeLocked(tx, w, decision.hash, null, { payoutId: p.payoutId, provider: this.provider.name, source });
          await this.repo.markFinished(tx, id, { ...ids, hash: decision.hash });
          await record('finished');
          return { outcome: 'finished', problems: [] };
        case 'fail':
          await this.withdrawals.rejectLocked(tx, w, PAYOUT_FAILED_REASON, null, {
            payoutId: p.payoutId,
            provider: this.provider.name,
            source,
            error: p.error,
          });
          await this.repo.markFailed(tx, id, { ...ids, error: p.error });
          await record('failed');
          return { outcome: 'failed', problems: [] };
      }
    });
    if (result.outcome === 'finished') {
      this.logger.log({ withdrawalId: id, payoutId: p.payoutId, hash: p.hash, source }, 'payout finished: withdrawal completed');
      await this.withdrawals.notifyCompleted(id);
    } else if (result.outcome === 'failed') {
      this.logger.warn({ withdrawalId: id, payoutId: p.payoutId, error: p.error, source }, 'payout failed: hold released');
      await this.withdrawals.notifyRejected(id, PAYOUT_FAILED_REASON);
    }
    return result;
  }

  /**
   * An admin asks the provider about a live payout that seems stuck (POST /api/admin/withdrawals/:id/payout/resolve)
   * and its answer is applied: FINISHED with a hash completes the withdrawal with it (as its IPN would); FAILED or
   * REJECTED, or no payout at the provider once its sender's claim expired, makes the payout `manual` (the operator
   * completes or rejects the withdrawal as before); still under way is 409 with the provider's status. Audited.
   */
  async resolve(admin: AuthUser, id: string): Promise<void> {
    const row = await this.repo.find(id);
    if (!row) throw notFound('Withdrawal not found');
    if (!isLivePayout(row.status)) throw conflict('INVALID_STATE', 'No payout of this withdrawal is under way at the payment provider');
    const batchId = row.provider_batch_id;
    let found: ProviderPayout | undefined;
    try {
      found = batchId
        ? (await this.provider.getPayout(batchId)).find((p) => (row.provider_payout_id ? p.payoutId === row.provider_payout_id : p.externalId === id))
        : await this.provider.findPayout(id, new Date(row.created_at), Date.now() + 20_000);
    } catch (e) {
      if (!(e instanceof PaymentProviderError)) throw e;
      // The provider does not know the batch at all: not at the provider.
      if (e.status === 404) found = undefined;
      else {
        this.logger.warn({ withdrawalId: id, err: e.message }, 'payout resolve: the provider lookup failed');
        throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The payment provider is unavailable; try again shortly');
      }
    }
    const audit = (outcome: string, extra: Record<string, unknown> = {}) =>
      this.audit.record({
        action: 'wallet.payout_resolved',
        userId: null,
        actorId: admin.id,
        details: { withdrawalId: id, outcome, providerStatus: found?.status ?? null, payoutId: found?.payoutId ?? null, ...extra },
      });
    if (!found) {
      if (!(await this.repo.markManualFromLive(id, 'not_at_provider', 'The payment provider holds no payout of this withdrawal'))) {
        throw conflict('INVALID_STATE', 'The payout of this withdrawal is being sent right now; check with the provider again in a few minutes');
      }
      this.logger.warn({ withdrawalId: id }, 'payout resolved: not at the provider; an operator sends it');
      await audit('manual');
      return;
    }
    if (found.status === 'FAILED' || found.status === 'REJECTED') {
      if (!(await this.repo.markManualFromLive(id, 'provider_failed', found.error ?? `The payment provider reports it ${found.status}`))) {
        throw conflict('INVALID_STATE', 'The payout of this withdrawal is being sent right now; check with the provider again in a few minutes');
      }
      this.logger.warn({ withdrawalId: id, status: found.status }, 'payout resolved: failed at the provider; an operator sends it');
      await audit('manual');
      return;
    }
    if (found.status === 'FINISHED' && found.hash) {
      const result = await this.apply(found, 'api', { check: true, resolvedBy: admin.id, ...found, createdAt: found.createdAt?.toISOString() ?? null });
      // `duplicate`: its IPN or the status check completed it meanwhile, with the same status.
      if (result.outcome !== 'finished' && result.outcome !== 'duplicate') {
        await audit(result.outcome, { problems: result.problems });
        const problems = result.problems.join('; ') || result.outcome;
        throw conflict('INVALID_STATE', `The payment provider's payout does not match this withdrawal: ${problems}`);
      }
      await audit('finished', { txHash: found.hash });
      return;
    }
    throw conflict('PAYOUT_IN_PROGRESS', `The payment provider still reports this payout as ${found.status}: it settles when the provider finishes it`);
  }
}
