import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { decodeCursor, encodeCursor, PageQueryDto } from '../../common/dto/pagination.dto';
import { AppError, badRequest, notFound, validationFailed } from '../../common/errors/app-error';
import { FailureLimiter } from '../../common/guards/failure-limiter';
import { rateLimited } from '../../common/guards/rate-limit.guard';
import { isUuid } from '../../common/pipes/id.pipes';
import { requestContext } from '../../common/request-context';
import { dec } from '../../common/money/decimal';
import { AppConfig } from '../../config/config.service';
import { inTransaction } from '../../database/transaction';
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
    @InjectDataSource() private readonly dataSource: DataSource,
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
        description: `CryptoVault deposit ${orderId}`,
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
    const deposit = await inTransaction(this.dataSource, async (em) => {
      const [row] = (await em.query(
        `INSERT INTO deposits (id, user_id, provider, provider_payment_id, price_amount, pay_currency, pay_amount, pay_address, status, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [
          orderId,
          user.id,
          this.provider.name,
          payment.paymentId,
          dec(dto.amount).toFixed(2),
          dto.currency,
          payment.payAmount,
          payment.payAddress,
          payment.status,
          payment.expiresAt ?? new Date(Date.now() + 24 * 3600_000),
        ],
      )) as Record<string, unknown>[];
      await this.recordEvent(em, { depositId: orderId, paymentId: payment.paymentId, orderId, status: payment.status, outcome: 'recorded', payload: { created: true } });
      await this.audit.record({ action: 'wallet.deposit_created', userId: user.id, details: { orderId, amount: dto.amount, currency: dto.currency, provider: this.provider.name } }, em);
      return rowToDeposit(row);
    });
    return toDepositDto(deposit);
  }

  async get(userId: string, orderId: string): Promise<DepositResponseDto> {
    return { deposit: toDepositDto(await this.owned(userId, orderId)) };
  }

  async list(userId: string, page: PageQueryDto): Promise<DepositPageDto> {
    const limit = page.limit ?? 20;
    const cursor = decodeCursor(page.cursor, 'uuid');
    const rows = (await this.dataSource.query(
      `SELECT * FROM deposits WHERE user_id = $1 ${cursor ? `AND (date_trunc('milliseconds', created_at), id) < ($3, $4::uuid)` : ''}
       ORDER BY date_trunc('milliseconds', created_at) DESC, id DESC LIMIT $2`,
      cursor ? [userId, limit + 1, cursor.createdAt, cursor.id] : [userId, limit + 1],
    )) as Record<string, unknown>[];
    const items = rows.slice(0, limit).map(rowToDeposit);
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
    const status = await postSignedIpn(`http://127.0.0.1:${this.config.values.port}`, sandboxFinishedIpn({ ...deposit, paymentId: deposit.providerPaymentId, orderId: deposit.id }), this.ipnSecret.value!);
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
      const verdict = await this.failures.fail('ipnSignature', ip);
      if (verdict.over) {
        if (verdict.first) this.logger.warn(`IPN signature failures over the limit: further ones answered 429 ${JSON.stringify({ ip, retryInMs: verdict.retryMs })}`);
        throw rateLimited(verdict.retryMs);
      }
      const b = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
      this.logger.warn(`IPN refused: invalid signature ${JSON.stringify({ paymentId: b.payment_id, orderId: b.order_id, signed: typeof signature === 'string' })}`);
      throw badRequest('INVALID_SIGNATURE', 'The x-nowpayments-sig signature does not match the body');
    }
    const parsed = parseIpn(body);
    if (!parsed.ok) {
      this.logger.warn(`IPN refused: malformed ${JSON.stringify({ problems: parsed.problems })}`);
      throw validationFailed(parsed.problems.map((message) => ({ field: message.split(' ')[0], message })));
    }
    const ipn = parsed.ipn;
    const result = await inTransaction(this.dataSource, (em) => this.applyIpn(em, ipn, body as Record<string, unknown>));
    if (result.outcome === 'mismatch') {
      throw validationFailed(result.problems.map((message) => ({ field: message.split(' ')[0], message })));
    }
    if (result.outcome === 'credited' && result.deposit) await this.notifyCredited(result.deposit);
    return { received: true, outcome: result.outcome };
  }

  private async applyIpn(
    em: EntityManager,
    ipn: ParsedIpn,
    payload: Record<string, unknown>,
  ): Promise<{ outcome: IpnOutcome; problems: string[]; deposit?: DepositEntity }> {
    const base = { paymentId: ipn.paymentId, orderId: ipn.orderId, status: ipn.status, payload };
    const rows = isUuid(ipn.orderId)
      ? ((await em.query(`SELECT * FROM deposits WHERE id = $1 AND provider = $2 FOR UPDATE`, [ipn.orderId, this.provider.name])) as Record<string, unknown>[])
      : [];
    if (!rows.length) {
      this.logger.warn(`IPN for an unknown order: nothing changed ${JSON.stringify({ orderId: ipn.orderId, paymentId: ipn.paymentId, status: ipn.status })}`);
      await this.recordEvent(em, { ...base, depositId: null, outcome: 'unknown_order' });
      return { outcome: 'unknown_order', problems: [] };
    }
    const deposit = rowToDeposit(rows[0]);
    const problems = ipnMismatches(ipn, deposit);
    if (problems.length) {
      this.logger.error(`IPN refused: it does not match the order ${JSON.stringify({ orderId: deposit.id, paymentId: ipn.paymentId, problems })}`);
      await this.recordEvent(em, { ...base, depositId: deposit.id, outcome: 'mismatch' });
      return { outcome: 'mismatch', problems };
    }
    const decision = decideIpn(deposit, ipn.status);
    if (decision === 'duplicate') {
      this.logger.warn(`IPN replay or late status: nothing changed ${JSON.stringify({ orderId: deposit.id, paymentId: ipn.paymentId, status: ipn.status })}`);
      await this.recordEvent(em, { ...base, depositId: deposit.id, outcome: 'duplicate' });
      return { outcome: 'duplicate', problems: [] };
    }
    if (decision === 'update') {
      await em.query(`UPDATE deposits SET status = $2, updated_at = now() WHERE id = $1`, [deposit.id, ipn.status]);
      await this.recordEvent(em, { ...base, depositId: deposit.id, outcome: 'recorded' });
      return { outcome: 'recorded', problems: [] };
    }
    const amount = dec(deposit.priceAmount);
    const journalId = await this.ledger.post(em, {
      type: 'deposit',
      reference: `deposit:${deposit.provider}:${deposit.providerPaymentId}`,
      userId: deposit.userId,
      description: `Deposit ${deposit.payCurrency.toUpperCase()} via ${deposit.provider}`,
      lines: [
        { account: EXTERNAL_DEPOSITS, asset: 'USD', amount: amount.neg(), bucket: 'available', kind: 'deposit' },
        { account: userAccount(deposit.userId), asset: 'USD', amount, bucket: 'available', kind: 'deposit' },
      ],
    });
    // Under the row lock taken above, so this is the one update that credits.
    await em.query(`UPDATE deposits SET status = 'finished', credited_at = now(), journal_id = $2, updated_at = now() WHERE id = $1 AND credited_at IS NULL`, [
      deposit.id,
      journalId,
    ]);
    const [updated] = (await em.query(`SELECT * FROM deposits WHERE id = $1`, [deposit.id])) as Record<string, unknown>[];
    await this.recordEvent(em, { ...base, depositId: deposit.id, outcome: 'credited' });
    await this.audit.record({ action: 'wallet.deposit_credited', userId: deposit.userId, details: { orderId: deposit.id, amount: deposit.priceAmount, paymentId: ipn.paymentId } }, em);
    this.logger.log(`deposit credited ${JSON.stringify({ orderId: deposit.id, paymentId: ipn.paymentId, amount: deposit.priceAmount })}`);
    return { outcome: 'credited', problems: [], deposit: rowToDeposit(updated) };
  }

  /** Schedules the expiry job every DEPOSIT_EXPIRY_INTERVAL_MS through @nestjs/schedule's registry. */
  onApplicationBootstrap(): void {
    this.scheduler.addInterval(EXPIRY_JOB, setInterval(() => void this.expireStaleDeposits(), this.config.values.depositExpiryIntervalMs));
  }

  /** Marks deposits still waiting well past their expiry as expired (any instance may run it; the update is guarded). */
  async expireStaleDeposits(): Promise<number> {
    try {
      const rows = (await this.dataSource.query(
        `WITH expired AS (
           UPDATE deposits SET status = 'expired', updated_at = now()
           WHERE status = 'waiting' AND expires_at < now() - make_interval(secs => $1) RETURNING id, provider, provider_payment_id
         )
         INSERT INTO deposit_events (deposit_id, provider, provider_payment_id, order_id, status, outcome)
         SELECT id, provider, provider_payment_id, id::text, 'expired', 'expired' FROM expired RETURNING deposit_id`,
        [EXPIRY_GRACE_MS / 1000],
      )) as unknown[];
      if (rows.length) this.logger.log(`stale deposits expired ${JSON.stringify({ count: rows.length })}`);
      return rows.length;
    } catch (e) {
      this.logger.error(`deposit expiry failed ${JSON.stringify({ err: (e as Error).message })}`);
      return 0;
    }
  }

  private async owned(userId: string, orderId: string): Promise<DepositEntity> {
    const [row] = (await this.dataSource.query(`SELECT * FROM deposits WHERE id = $1 AND user_id = $2`, [orderId, userId])) as Record<string, unknown>[];
    if (!row) throw notFound('Deposit not found');
    return rowToDeposit(row);
  }

  private async recordEvent(
    em: EntityManager,
    e: { depositId: string | null; paymentId: string; orderId: string; status: string; outcome: IpnOutcome; payload: Record<string, unknown> },
  ): Promise<void> {
    await em.query(
      `INSERT INTO deposit_events (deposit_id, provider, provider_payment_id, order_id, status, outcome, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.depositId, this.provider.name, e.paymentId.slice(0, 64), e.orderId.slice(0, 100), e.status.slice(0, 20), e.outcome, JSON.stringify(e.payload)],
    );
  }

  /** In-app notification, `deposit_credited` on /ws/user, and an email; after the commit, never failing the webhook. */
  private async notifyCredited(d: DepositEntity): Promise<void> {
    const amount = dec(d.priceAmount).toFixed(2);
    try {
      await this.notifications.notify(d.userId, {
        type: 'deposit_credited',
        title: `Deposit credited: ${amount} USD`,
        body: `Your deposit ${d.id} paid in ${d.payCurrency.toUpperCase()} has been credited: ${amount} USD is now available in your CryptoVault wallet.`,
        data: { orderId: d.id, amount, currency: d.payCurrency, provider: d.provider },
        email: true,
      });
    } catch (e) {
      this.logger.error(`deposit credited but the notification failed ${JSON.stringify({ err: (e as Error).message, orderId: d.id })}`);
    }
  }
}

function rowToDeposit(r: Record<string, unknown>): DepositEntity {
  return {
    id: r.id as string,
    userId: r.user_id as string,
    provider: r.provider as string,
    providerPaymentId: r.provider_payment_id as string,
    priceAmount: r.price_amount as string,
    payCurrency: r.pay_currency as string,
    payAmount: r.pay_amount as string,
    payAddress: r.pay_address as string,
    status: r.status as string,
    expiresAt: new Date(r.expires_at as string),
    creditedAt: r.credited_at ? new Date(r.credited_at as string) : null,
    journalId: (r.journal_id as string | null) ?? null,
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
  };
}
