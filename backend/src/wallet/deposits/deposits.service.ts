import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../audit/audit.service';
import { UsersReader } from '../../auth/users/users.reader';
import { WebhookOutbox } from '../../auth/api-keys/webhooks/webhook-outbox';
import type { AuthUser } from '../../common/auth/auth-user';
import { decodeCursor, encodeCursor, PageQueryDto } from '../../common/dto/pagination.dto';
import { AppError, badRequest, notFound, unprocessable, validationFailed } from '../../common/errors/app-error';
import { FailureLimiter } from '../../common/guards/failure-limiter';
import { rateLimited } from '../../common/guards/rate-limit.guard';
import { isUuid } from '../../common/pipes/id.pipes';
import { requestContext } from '../../common/request-context';
import { type Dec, dec } from '../../common/money/decimal';
import { freshUsdValue } from '../../common/market/fresh-quote';
import { MARKET_QUOTES, type MarketQuotes } from '../../common/market/market-quotes';
import { CASH_ASSET, formatAmount } from '../../common/money/amount-format';
import { formatCrypto, formatMoney, formatUsd } from '../../common/money/prose-format';
import { AppConfig } from '../../config/config.service';
import { Tx, UnitOfWork } from '../../database/unit-of-work';
import { NotificationsService } from '../../notifications/notifications.service';
import { LedgerService } from '../../ledger/ledger.service';
import { EXTERNAL_DEPOSITS, userAccount } from '../../ledger/ledger.types';
import { postSignedIpn, WEBHOOK_PATH } from '../payments/ipn-delivery';
import { verifyIpnSignature } from '../payments/ipn-signature';
import { IpnSecret, PAYMENT_PROVIDER } from '../payments/payment-provider.factory';
import { PaymentProvider, PaymentProviderError, ProviderPayment } from '../payments/payment-provider';
import { markSandboxPaymentPaid, sandboxFinishedIpn } from '../payments/sandbox.provider';
import { toDepositDto } from './deposit.mapper';
import { creditWords, DepositNotice, depositTerms } from './deposit-terms';
import { CreateDepositDto, DEPOSIT_USD_AMOUNT, DepositDto, DepositPageDto, DepositResponseDto, IpnAckDto, IpnOutcome } from './dto/deposit.dto';
import { DepositsRepository, DepositEvent } from './deposits.repository';
import { DepositEntity } from './entities/deposit.entity';
import { decideIpn, ipnMismatches, ParsedIpn, parseIpn, priceCurrencyOf } from './ipn';

/** A waiting deposit is expired this long after the provider's own expiry, so a payment in flight can still land. */
const EXPIRY_GRACE_MS = 10 * 60_000;
const EXPIRY_JOB = 'deposit-expiry';

/**
 * Deposits (ARCHITECTURE §3): a payment is created at the provider, the
 * provider's signed IPNs move it, and `finished` / `partially_paid` credit
 * what the deposit is worth (ipn.ts `decideIpn`) in its credit asset (USD, or
 * the asset paid for a deposit in kind) exactly once, in the same transaction
 * as the ledger journal.
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
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    private readonly users: UsersReader,
    private readonly webhooks: WebhookOutbox,
  ) {}

  async create(user: AuthUser, dto: CreateDepositDto): Promise<DepositDto> {
    const terms = depositTerms(dto);
    if (terms.asset !== CASH_ASSET) this.checkInKindValue(terms.asset, terms.price);
    const orderId = randomUUID();
    const what = formatMoney(terms.price, terms.asset);
    let payment: ProviderPayment;
    try {
      payment = await this.provider.createPayment({
        orderId,
        priceAmount: terms.price,
        priceCurrency: terms.priceCurrency,
        payCurrency: terms.payCurrency,
        ipnCallbackUrl: `${this.config.values.appUrl.replace(/\/+$/, '')}${WEBHOOK_PATH}`,
        description: `CryptoVault deposit of ${what}`,
      });
    } catch (e) {
      if (!(e instanceof PaymentProviderError)) throw e;
      this.logger.error(`payment provider refused to create a payment ${JSON.stringify({ err: e.message, provider: this.provider.name })}`);
      throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The payment provider is unavailable; try again shortly');
    }
    if (
      payment.orderId !== orderId ||
      !dec(payment.priceAmount).eq(dec(terms.price)) ||
      payment.priceCurrency !== terms.priceCurrency ||
      payment.payCurrency !== terms.payCurrency
    ) {
      this.logger.error(`payment provider answered for another order, amount or currency ${JSON.stringify({ orderId, payment })}`);
      throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The payment provider answered inconsistently; try again');
    }
    const deposit = await this.uow.run(async (tx) => {
      const created = await this.deposits.insert(tx, {
        id: orderId,
        userId: user.id,
        provider: this.provider.name,
        providerPaymentId: payment.paymentId,
        priceAmount: terms.price,
        creditAsset: terms.asset,
        payCurrency: terms.payCurrency,
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
        {
          action: 'wallet.deposit_created',
          userId: user.id,
          details: { orderId, asset: terms.asset, amount: terms.price, currency: terms.payCurrency, provider: this.provider.name },
        },
        tx,
      );
      return created;
    });
    return toDepositDto(deposit);
  }

  /** A deposit in kind is worth $10 to $100,000 at a fresh quote, like a USD deposit (422 PRICE_STALE without one). */
  private checkInKindValue(asset: string, quantity: string): void {
    if (!this.quotes.isKnown(asset)) throw unprocessable('UNKNOWN_ASSET', `${asset} is not listed at the moment`);
    const usd = freshUsdValue(this.quotes, asset, dec(quantity), this.config.values.priceMaxAgeMs);
    if (usd.lt(DEPOSIT_USD_AMOUNT.min) || usd.gt(DEPOSIT_USD_AMOUNT.max)) {
      throw unprocessable(
        'DEPOSIT_OUT_OF_RANGE',
        `A deposit is worth ${formatUsd(DEPOSIT_USD_AMOUNT.min)} to ${formatUsd(DEPOSIT_USD_AMOUNT.max)}; ${formatCrypto(quantity, asset)} is worth about ${formatUsd(usd)}`,
      );
    }
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
      sandboxFinishedIpn({ ...deposit, paymentId: deposit.providerPaymentId, orderId: deposit.id, priceCurrency: priceCurrencyOf(deposit) }),
      this.ipnSecret.value!,
    );
    if (status >= 300) throw new AppError(502, 'INTERNAL', `The webhook answered ${status}`);
    // The sandbox account received it: its balance (GET /v1/balance's twin, for the external reconciliation) holds it.
    markSandboxPaymentPaid(this.config.values.dataDir, orderId);
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
    if (result.outcome === 'credited' && result.deposit && result.credit) await this.notifyCredited(result.deposit, result.credit);
    return { received: true, outcome: result.outcome };
  }

  private async applyIpn(
    tx: Tx,
    ipn: ParsedIpn,
    payload: Record<string, unknown>,
  ): Promise<{ outcome: IpnOutcome; problems: string[]; deposit?: DepositEntity; credit?: DepositNotice }> {
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
      await this.audit.record(
        {
          action: 'wallet.deposit_ipn_refused',
          userId: deposit.userId,
          details: { orderId: deposit.id, paymentId: ipn.paymentId, status: ipn.status, problems },
        },
        tx,
      );
      return { outcome: 'mismatch', problems };
    }
    const decision = decideIpn(deposit, ipn);
    if (decision.action === 'duplicate') {
      this.logger.warn(`IPN replay or late status: nothing changed ${JSON.stringify({ orderId: deposit.id, paymentId: ipn.paymentId, status: ipn.status })}`);
      await this.recordEvent(tx, { ...base, depositId: deposit.id, outcome: 'duplicate' });
      return { outcome: 'duplicate', problems: [] };
    }
    if (decision.action === 'update') {
      await this.deposits.setStatus(tx, deposit.id, ipn.status);
      await this.recordEvent(tx, { ...base, depositId: deposit.id, outcome: 'recorded' });
      return { outcome: 'recorded', problems: [] };
    }
    const { before, total, amount } = decision;
    const asset = deposit.creditAsset;
    // The owner's row lock, then whether the account was closed: a closure holds that lock from its check that nothing
    // is left to its commit, so no credit lands between the two (a closure waiting behind us sees the credit and refuses).
    await this.users.lockForUpdate(tx, deposit.userId);
    if (await this.users.isClosed(deposit.userId, tx)) return this.holdForOperator(tx, deposit, ipn, payload, { amount, total });
    const credit = creditWords(deposit, ipn.status, { before, total, amount });
    const journalId = await this.ledger.post(tx, {
      type: 'deposit',
      // The first credit keeps the reference deposits always had; a later one (the rest of a partly paid deposit) is
      // named by the total it brings the deposit to, so the same credit can never be posted twice.
      reference: `deposit:${deposit.provider}:${deposit.providerPaymentId}${before.isZero() ? '' : `:${total.toFixed()}`}`,
      userId: deposit.userId,
      description: credit.journal,
      lines: [
        { account: EXTERNAL_DEPOSITS, asset, amount: amount.neg(), bucket: 'available', kind: 'deposit' },
        { account: userAccount(deposit.userId), asset, amount, bucket: 'available', kind: 'deposit' },
      ],
    });
    // Under the row lock taken above, and guarded by what was credited before: this is the one update that credits.
    const updated = await this.deposits.markCredited(tx, deposit.id, {
      status: ipn.status,
      creditedBefore: before.toFixed(),
      creditedTotal: total.toFixed(),
      journalId,
    });
    await this.recordEvent(tx, { ...base, depositId: deposit.id, outcome: 'credited' });
    await this.webhooks.record(tx, deposit.userId, 'deposit.credited', toDepositDto(updated));
    const figures = { asset, amount: formatAmount(amount, asset), total: formatAmount(total, asset) };
    await this.audit.record(
      { action: 'wallet.deposit_credited', userId: deposit.userId, details: { orderId: deposit.id, paymentId: ipn.paymentId, status: ipn.status, ...figures } },
      tx,
    );
    this.logger.log(`deposit credited ${JSON.stringify({ orderId: deposit.id, paymentId: ipn.paymentId, status: ipn.status, ...figures })}`);
    return { outcome: 'credited', problems: [], deposit: updated, credit: credit.notice };
  }

  /**
   * A payment arrived for a deposit whose owner closed the account since (a deposit that expired, or failed, is no
   * obstacle to a closure, and coins can still be sent to its address): nothing is credited, since nobody can open the
   * account any more. The deposit takes the provider's status, the IPN is kept as `held` and audited
   * (`wallet.deposit_held`) for an operator, who returns the coins at the provider; the IPN is answered 200 so the
   * provider stops retrying. The ledger is untouched: it never held this money. The same IPN again (same status, same
   * amount arrived) is a duplicate, not a second case.
   */
  private async holdForOperator(
    tx: Tx,
    deposit: DepositEntity,
    ipn: ParsedIpn,
    payload: Record<string, unknown>,
    worth: { amount: Dec; total: Dec },
  ): Promise<{ outcome: IpnOutcome; problems: string[] }> {
    const base = { depositId: deposit.id, paymentId: ipn.paymentId, orderId: ipn.orderId, status: ipn.status, payload };
    if (await this.deposits.heldBefore(tx, deposit.id, ipn.status, payload.actually_paid)) {
      this.logger.warn(`IPN replay or late status: nothing changed ${JSON.stringify({ orderId: deposit.id, paymentId: ipn.paymentId, status: ipn.status })}`);
      await this.recordEvent(tx, { ...base, outcome: 'duplicate' });
      return { outcome: 'duplicate', problems: [] };
    }
    const asset = deposit.creditAsset;
    if (deposit.status !== ipn.status) await this.deposits.setStatus(tx, deposit.id, ipn.status);
    await this.recordEvent(tx, { ...base, outcome: 'held' });
    const figures = { asset, amount: formatAmount(worth.amount, asset), total: formatAmount(worth.total, asset) };
    await this.audit.record(
      {
        action: 'wallet.deposit_held',
        userId: deposit.userId,
        details: { reason: 'account_closed', orderId: deposit.id, paymentId: ipn.paymentId, status: ipn.status, currency: deposit.payCurrency, ...figures },
      },
      tx,
    );
    this.logger.error(
      `deposit paid after its account was closed: held for an operator, nothing credited ${JSON.stringify({ orderId: deposit.id, paymentId: ipn.paymentId, status: ipn.status, ...figures })}`,
    );
    return { outcome: 'held', problems: [] };
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
  private async notifyCredited(d: DepositEntity, notice: DepositNotice): Promise<void> {
    try {
      await this.notifications.notify(d.userId, {
        type: 'deposit_credited',
        title: notice.title,
        body: notice.body,
        data: { orderId: d.id, currency: d.payCurrency, provider: d.provider, ...notice.data },
        email: true,
      });
    } catch (e) {
      this.logger.error(`deposit credited but the notification failed ${JSON.stringify({ err: (e as Error).message, orderId: d.id })}`);
    }
  }
}
