import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { decodeCursor, encodeCursor, PageQueryDto } from '../../common/dto/pagination.dto';
import { AppError, badRequest, notFound, validationFailed } from '../../common/errors/app-error';
import { FailureLimiter } from '../../common/guards/failure-limiter';
import { rateLimited } from '../../common/guards/rate-limit.guard';
import { isUuid } from '../../common/pipes/id.pipes';
import { requestContext } from '../../common/request-context';
import { dec } from '../../common/money/decimal';
import { formatUsd } from '../../common/money/prose-format';
import { AppConfig } from '../../config/config.service';
import { Tx, UnitOfWork } from '../../database/unit-of-work';
import { NotificationsService } from '../../notifications/notifications.service';
import { LedgerService } from '../../ledger/ledger.service';
import { EXTERNAL_DEPOSITS, userAccount } from '../../ledger/ledger.types';
import { postSignedIpn, WEBHOOK_PATH } from '../payments/ipn-delivery';
import { verifyIpnSignature } from '../payments/ipn-signature';
import { IpnSecret, PAYMENT_PROVIDER } from '../payments/payment-provider.factory';
import { PaymentProvider, PaymentProviderError, ProviderPayment } from '../payments/payment-provider';
import { sandboxFinishedIpn } from '../payments/sandbox.provider';
import { toDepositDto } from './deposit.mapper';
import { CreateDepositDto, DepositDto, DepositPageDto, DepositResponseDto, IpnAckDto, IpnOutcome } from './dto/deposit.dto';
import { DepositsRepository, DepositEvent } from './deposits.repository';
import { DepositEntity } from './entities/deposit.entity';
import { decideIpn, ipnMismatches, ParsedIpn, parseIpn } from './ipn';

/** A waiting deposit is expired this long after the provider's own expiry, so a payment in flight can still land. */
const EXPIRY_GRACE_MS = 10 * 60_000;
const EXPIRY_JOB = 'deposit-expiry';

/**
 * Deposits (ARCHITECTURE §3): a payment is created at the provider, the
 * provider's signed IPNs move it, and `finished` credits our stored USD
 * amount exactly once, in the same transaction as the ledger journal.
 */
@Injectable()
export class DepositsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Deposits');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly deposits: DepositsRepository,
    private readonly config: AppConfig,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly ipnSecret: IpnSecret,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly failures: FailureLimiter,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  async create(user: AuthUser, dto: CreateDepositDto): Promise<DepositDto> {
    const orderId = randomUUID();
    let payment: ProviderPayment;
    try {
      payment = await this.provider.createPayment({
        orderId,
        priceAmount: dec(dto.amount).toFixed(2),
        payCurrency: dto.currency,
        ipnCallbackUrl: `${this.config.values.appUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`,
        description: `CryptoVault deposit of ${formatUsd(dto.amount)}`,
      });
    } catch (e) {
      if (!(e instanceof PaymentProviderError)) throw e;
      this.logger.error(`payment provider refused to create a payment ${JSON.stringify({ err: e.message, provider: this.provider.name })}`);
      throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The payment provider is unavailable; try again shortly');
    }
    if (payment.orderId !== orderId || !dec(payment.priceAmount).eq(dec(dto.amount))) {
      this.logger.error(`payment provider answered for another order or amount ${JSON.stringify({ orderId, payment })}`);
      throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The payment provider answered inconsistently; try again');
    }
    const deposit = await this.uow.run(async (tx) => {
      const created = await this.deposits.insert(tx, {
        id: orderId,
        userId: user.id,
        provider: this.provider.name,
        providerPaymentId: payment.paymentId,
        priceAmount: dec(dto.amount).toFixed(2),
        payCurrency: dto.currency,
        payAmount: payment.payAmount,
        payAddress: payment.payAddress,
        status: payment.status,
        expiresAt: payment.expiresAt ?? new Date(Date.now() + 24 * 3600_000),
      });
      await this.recordEvent(tx, {
        depositId: orderId,
        paymentId: payment.paymentId,
        orderId,
        status: payment.status,
        outcome: 'recorded',
        payload: { created: true },
      });
      await this.audit.record(
        { action: 'wallet.deposit_created', userId: user.id, details: { orderId, amount: dto.amount, currency: dto.currency, provider: this.provider.name } },
        tx,
      );
      return created;
    });
    return toDepositDto(deposit);
  }

  async get(userId: string, orderId: string): Promise<DepositResponseDto> {
    return { deposit: toDepositDto(await this.owned(userId, orderId)) };
  }

  async list(userId: string, page: PageQueryDto): Promise<DepositPageDto> {
    const limit = page.limit ?? 20;
    const cursor = decodeCursor(page.cursor, 'uuid');
    const rows = await this.deposits.page(userId, limit + 1, cursor);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toDepositDto), nextCursor: rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null };
  }

  /**
   * Development and tests with the sandbox provider only: signs the
   * `finished` IPN for this deposit and posts it to our own webhook over
   * HTTP, so it takes exactly the path a real payment takes.
   */
  async simulate(userId: string, orderId: string): Promise<DepositResponseDto> {
    if (!this.simulationEnabled()) throw notFound();
    const deposit = await this.owned(userId, orderId);
    const status = await postSignedIpn(
      `http://127.0.0.1:${this.config.values.port}`,
      sandboxFinishedIpn({ ...deposit, paymentId: deposit.providerPaymentId, orderId: deposit.id }),
      this.ipnSecret.value!,
    );
    if (status >= 300) throw new AppError(502, 'INTERNAL', `The webhook answered ${status}`);
    return { deposit: toDepositDto(await this.owned(userId, orderId)) };
  }

  simulationEnabled(): boolean {
    return this.provider.name === 'sandbox' && this.config.values.profile !== 'production' && !!this.ipnSecret.value;
  }

  /**
   * The IPN webhook. The signature is always verified (no secret means no
   * IPN passes). Every verified notification is kept in `deposit_events`
   * with what it did; only the first `finished` credits, and it credits the
   * amount WE stored, in one transaction with the journal.
   */
  async handleIpn(body: unknown, signature: string | undefined): Promise<IpnAckDto> {
    if (!verifyIpnSignature(body, signature, this.ipnSecret.value)) {
      // Only failures are counted, after verifying: a correctly signed IPN is never refused, whatever its address did.
      const ip = requestContext.getStore()?.ip ?? 'unknown';
      const verdict = await this.failures.count('ipnSignature', ip);
      if (verdict.over) {
        if (verdict.first)
          this.logger.warn(`IPN signature failures over the limit: further ones answered 429 ${JSON.stringify({ ip, retryInMs: verdict.retryMs })}`);
        throw rateLimited(verdict.retryMs);
      }
      const b = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
      this.logger.warn(
        `IPN refused: invalid signature ${JSON.stringify({ paymentId: b.payment_id, orderId: b.order_id, signed: typeof signature === 'string' })}`,
      );
      throw badRequest('INVALID_SIGNATURE', 'The x-nowpayments-sig signature does not match the body');
    }
    const parsed = parseIpn(body);
    if (!parsed.ok) {
      this.logger.warn(`IPN refused: malformed ${JSON.stringify({ problems: parsed.problems })}`);
      throw validationFailed(parsed.problems.map((message) => ({ field: message.split(' ')[0], message })));
    }
    const ipn = parsed.ipn;
    const result = await this.uow.run((tx) => this.applyIpn(tx, ipn, body as Record<string, unknown>));
    if (result.outcome === 'mismatch') {
      throw validationFailed(result.problems.map((message) => ({ field: message.split(' ')[0], message })));
    }
    if (result.outcome === 'credited' && result.deposit) await this.notifyCredited(result.deposit);
    return { received: true, outcome: result.outcome };
  }

  private async applyIpn(
    tx: Tx,
    ipn: ParsedIpn,
    payload: Record<string, unknown>,
  ): Promise<{ outcome: IpnOutcome; problems: string[]; deposit?: DepositEntity }> {
    const base = { paymentId: ipn.paymentId, orderId: ipn.orderId, status: ipn.status, payload };
    const deposit = isUuid(ipn.orderId) ? await this.deposits.lockForProvider(tx, ipn.orderId, this.provider.name) : undefined;
    if (!deposit) {
      this.logger.warn(`IPN for an unknown order: nothing changed ${JSON.stringify({ orderId: ipn.orderId, paymentId: ipn.paymentId, status: ipn.status })}`);
      await this.recordEvent(tx, { ...base, depositId: null, outcome: 'unknown_order' });
      return { outcome: 'unknown_order', problems: [] };
    }
    const problems = ipnMismatches(ipn, deposit);
    if (problems.length) {
      this.logger.error(`IPN refused: it does not match the order ${JSON.stringify({ orderId: deposit.id, paymentId: ipn.paymentId, problems })}`);
      await this.recordEvent(tx, { ...base, depositId: deposit.id, outcome: 'mismatch' });
      return { outcome: 'mismatch', problems };
    }
    const decision = decideIpn(deposit, ipn.status);
    if (decision === 'duplicate') {
      this.logger.warn(`IPN replay or late status: nothing changed ${JSON.stringify({ orderId: deposit.id, paymentId: ipn.paymentId, status: ipn.status })}`);
      await this.recordEvent(tx, { ...base, depositId: deposit.id, outcome: 'duplicate' });
      return { outcome: 'duplicate', problems: [] };
    }
    if (decision === 'update') {
      await this.deposits.setStatus(tx, deposit.id, ipn.status);
      await this.recordEvent(tx, { ...base, depositId: deposit.id, outcome: 'recorded' });
      return { outcome: 'recorded', problems: [] };
    }
    const amount = dec(deposit.priceAmount);
    const journalId = await this.ledger.post(tx, {
      type: 'deposit',
      reference: `deposit:${deposit.provider}:${deposit.providerPaymentId}`,
      userId: deposit.userId,
      description: `Deposit of ${formatUsd(amount)} paid in ${deposit.payCurrency.toUpperCase()}`,
      lines: [
        { account: EXTERNAL_DEPOSITS, asset: 'USD', amount: amount.neg(), bucket: 'available', kind: 'deposit' },
        { account: userAccount(deposit.userId), asset: 'USD', amount, bucket: 'available', kind: 'deposit' },
      ],
    });
    // Under the row lock taken above, so this is the one update that credits.
    const updated = await this.deposits.markCredited(tx, deposit.id, journalId);
    await this.recordEvent(tx, { ...base, depositId: deposit.id, outcome: 'credited' });
    await this.audit.record(
      { action: 'wallet.deposit_credited', userId: deposit.userId, details: { orderId: deposit.id, amount: deposit.priceAmount, paymentId: ipn.paymentId } },
      tx,
    );
    this.logger.log(`deposit credited ${JSON.stringify({ orderId: deposit.id, paymentId: ipn.paymentId, amount: deposit.priceAmount })}`);
    return { outcome: 'credited', problems: [], deposit: updated };
  }

  /** Schedules the expiry job every DEPOSIT_EXPIRY_INTERVAL_MS through @nestjs/schedule's registry. */
  onApplicationBootstrap(): void {
    this.scheduler.addInterval(
      EXPIRY_JOB,
      setInterval(() => void this.expireStaleDeposits(), this.config.values.depositExpiryIntervalMs),
    );
  }

  /** Marks deposits still waiting well past their expiry as expired (any instance may run it; the update is guarded). */
  async expireStaleDeposits(): Promise<number> {
    try {
      const count = await this.deposits.expireStale(EXPIRY_GRACE_MS / 1000);
      if (count) this.logger.log(`stale deposits expired ${JSON.stringify({ count })}`);
      return count;
    } catch (e) {
      this.logger.error(`deposit expiry failed ${JSON.stringify({ err: (e as Error).message })}`);
      return 0;
    }
  }

  private async owned(userId: string, orderId: string): Promise<DepositEntity> {
    const deposit = await this.deposits.findOwned(userId, orderId);
    if (!deposit) throw notFound('Deposit not found');
    return deposit;
  }

  private recordEvent(tx: Tx, e: Omit<DepositEvent, 'provider'>): Promise<void> {
    return this.deposits.recordEvent(tx, { ...e, provider: this.provider.name });
  }

  /** In-app notification, `deposit_credited` on /ws/user, and an email; after the commit, never failing the webhook. */
  private async notifyCredited(d: DepositEntity): Promise<void> {
    const amount = dec(d.priceAmount).toFixed(2);
    const usd = formatUsd(d.priceAmount);
    try {
      await this.notifications.notify(d.userId, {
        type: 'deposit_credited',
        title: `Deposit credited: ${usd}`,
        body: `Your deposit of ${usd} paid in ${d.payCurrency.toUpperCase()} has been credited and is now available in your CryptoVault wallet.`,
        data: { orderId: d.id, amount, currency: d.payCurrency, provider: d.provider },
        email: true,
      });
    } catch (e) {
      this.logger.error(`deposit credited but the notification failed ${JSON.stringify({ err: (e as Error).message, orderId: d.id })}`);
    }
  }
}
