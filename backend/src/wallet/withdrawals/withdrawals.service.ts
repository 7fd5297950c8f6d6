import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { UserEntity } from '../../auth/entities/user.entity';
import { TwoFactorService } from '../../auth/two-factor.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { decodeCursor, encodeCursor, PageQueryDto } from '../../common/dto/pagination.dto';
import { conflict, forbidden, notFound, unauthenticated, unprocessable, validationFailed } from '../../common/errors/app-error';
import { freshUsdValue } from '../../common/market/fresh-quote';
import { MARKET_QUOTES, type MarketQuotes } from '../../common/market/market-quotes';
import { Dec, dec, toFixedString } from '../../common/money/decimal';
import { AppConfig } from '../../config/config.service';
import { inTransaction } from '../../database/transaction';
import { NotificationsService } from '../../notifications/notifications.service';
import { IdempotencyService } from '../../common/idempotency/idempotency.service';
import { LedgerService } from '../../ledger/ledger.service';
import { EXTERNAL_WITHDRAWALS, PLATFORM_FEES, userAccount } from '../../ledger/ledger.types';
import {
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
import { toAdminWithdrawalDto, toWithdrawalDto, WithdrawalRow } from './withdrawal.mapper';
import { checkWithdrawalAddress, WITHDRAWAL_AMOUNT_SCALE, WITHDRAWAL_RULES } from './withdrawal-rules';
import { canTransition, LIMIT_STATUSES, requiredApprovals, totalDebit, WithdrawalAction, withinDailyLimit } from './withdrawal-state';

const IDEMPOTENCY_SCOPE = 'wallet.withdraw';
const SELECT = `SELECT w.*, (SELECT count(*)::int FROM withdrawal_approvals a WHERE a.withdrawal_id = w.id) AS approvals FROM withdrawals w`;
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

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly twoFactor: TwoFactorService,
    private readonly audit: AuditService,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    private readonly notifications: NotificationsService,
  ) {}

  async create(user: AuthUser, dto: CreateWithdrawalDto, idempotencyKey: string | undefined): Promise<WithdrawalResponseDto> {
    const account = await this.dataSource.getRepository(UserEntity).findOneBy({ id: user.id });
    if (!account) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    if (!account.twoFactorEnabledAt) throw forbidden('TWO_FACTOR_NOT_ENABLED', 'Turn on two-factor authentication before withdrawing');

    const rule = WITHDRAWAL_RULES[dto.asset];
    if (!rule) throw unprocessable('UNKNOWN_ASSET', `${dto.asset} cannot be withdrawn (withdrawable: ${Object.keys(WITHDRAWAL_RULES).join(', ')})`);
    const address = dto.address.trim();
    const check = checkWithdrawalAddress(dto.asset, address, dto.network);
    if (!check.ok) throw validationFailed([{ field: check.message.startsWith('address') ? 'address' : 'network', message: check.message }]);
    const amount = dec(dto.amount);
    if (amount.lt(rule.minimum)) {
      throw unprocessable('BELOW_MINIMUM', `The smallest ${dto.asset} withdrawal is ${rule.minimum} ${dto.asset}`, [
        { field: 'amount', message: `amount must be at least ${rule.minimum}` },
      ]);
    }
    const fee = dec(rule.fee);
    const usdValue = this.usdValue(dto.asset, amount);
    const body = { asset: dto.asset, amount: amount.toFixed(), address, network: check.network };

    // A replay of a finished request answers the first result without asking for a new code.
    // Wrong codes count on the confirmation counter (429 ACCOUNT_LOCKED once the session or the account is locked out).
    if (!(await this.isReplay(user.id, idempotencyKey))) await this.twoFactor.requireSecondFactor(user, 'wallet.withdraw', dto.twoFactorCode, account);

    let created = false;
    const result = await this.idempotency.run<WithdrawalResponseDto>({ userId: user.id, scope: IDEMPOTENCY_SCOPE, key: idempotencyKey, body }, async (em) => {
      const res = await this.createLocked(em, user.id, { ...body, amount, fee, usdValue });
      created = true;
      return res;
    });
    if (created) {
      const w = result.withdrawal;
      await this.email(user.id, w, `Withdrawal requested: ${w.amount} ${w.asset}`, `We received your request to withdraw ${w.amount} ${w.asset} (fee ${w.fee} ${w.asset}) to ${w.address} on ${w.network}. ${w.total} ${w.asset} is held until it is sent. If this was not you, cancel it and change your password now.`);
    }
    return result;
  }

  private async createLocked(
    em: EntityManager,
    userId: string,
    w: { asset: string; amount: Dec; fee: Dec; address: string; network: string; usdValue: Dec },
  ): Promise<WithdrawalResponseDto> {
    // One user's withdrawals are serialised, so the 24-hour sum cannot be raced past the limit
    // (nor past the dual-approval line by parts requested at once).
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`withdraw:${userId}`]);
    const sum = await this.usedToday(em, userId);
    const limit = this.config.values.withdrawalDailyLimitUsd;
    if (!withinDailyLimit(sum, w.usdValue, limit)) {
      const left = Dec.max(dec(limit).sub(sum), 0);
      throw unprocessable('LIMIT_EXCEEDED', `Withdrawals are limited to ${limit} USD per 24 hours; ${toFixedString(left, 2)} USD left`);
    }
    // Dual approval looks at the 24-hour sum with this one, so splitting an amount into parts under the line does not avoid it.
    const approvals = requiredApprovals(sum.add(w.usdValue), this.config.values.withdrawalDualApprovalUsd);
    const id = randomUUID();
    const total = totalDebit(w.amount, w.fee);
    await em.query(
      `INSERT INTO withdrawals (id, user_id, asset, network, address, amount, fee, usd_value, status, required_approvals)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9)`,
      [id, userId, w.asset, w.network, w.address, w.amount.toFixed(), w.fee.toFixed(), w.usdValue.toFixed(8), approvals],
    );
    await this.ledger.hold(em, {
      account: userAccount(userId),
      asset: w.asset,
      amount: total,
      type: 'withdrawal_hold',
      reference: `withdrawal:${id}:hold`,
      userId,
      description: `Withdrawal of ${w.amount.toFixed()} ${w.asset} requested (held with fee)`,
    });
    await this.audit.record({ action: 'wallet.withdrawal_requested', userId, details: { withdrawalId: id, asset: w.asset, amount: w.amount.toFixed(), fee: w.fee.toFixed(), network: w.network, address: w.address, usdValue: w.usdValue.toFixed(2), windowUsd: sum.add(w.usdValue).toFixed(2), requiredApprovals: approvals } }, em);
    return { withdrawal: toWithdrawalDto(await this.row(em, id)) };
  }

  async get(userId: string, id: string): Promise<WithdrawalResponseDto> {
    const [row] = (await this.dataSource.query(`${SELECT} WHERE w.id = $1 AND w.user_id = $2`, [id, userId])) as WithdrawalRow[];
    if (!row) throw notFound('Withdrawal not found');
    return { withdrawal: toWithdrawalDto(row) };
  }

  async list(userId: string, page: PageQueryDto): Promise<WithdrawalPageDto> {
    const { rows, nextCursor } = await this.page(`w.user_id = $1`, [userId], page);
    return { items: rows.map(toWithdrawalDto), nextCursor };
  }

  async adminList(query: AdminWithdrawalQueryDto): Promise<AdminWithdrawalPageDto> {
    const { rows, nextCursor } = await this.page(query.status ? `w.status = $1` : `$1::text IS NULL`, [query.status ?? null], query, true);
    return { items: rows.map(toAdminWithdrawalDto), nextCursor };
  }

  /** The user cancels while pending; the hold is released once (a second cancel finds it cancelled: 409). */
  async cancel(user: AuthUser, id: string): Promise<WithdrawalResponseDto> {
    const w = await inTransaction(this.dataSource, async (em) => {
      const row = await this.lockFor(em, id, 'cancel', user.id);
      await em.query(`UPDATE withdrawals SET status = 'cancelled', cancelled_at = now(), updated_at = now() WHERE id = $1`, [id]);
      await this.releaseHold(em, row, 'cancelled by the user');
      await this.audit.record({ action: 'wallet.withdrawal_cancelled', userId: user.id, details: { withdrawalId: id } }, em);
      return this.row(em, id);
    });
    const dto = toWithdrawalDto(w);
    await this.email(w.user_id, dto, `Withdrawal cancelled: ${dto.amount} ${dto.asset}`, `Your withdrawal ${dto.id} was cancelled; ${dto.total} ${dto.asset} is available again.`);
    return { withdrawal: dto };
  }

  /**
   * An admin approves. At or above WITHDRAWAL_DUAL_APPROVAL_USD it stays
   * pending until a second, different admin approves; the same admin twice
   * is 409. Nobody approves their own withdrawal.
   */
  async approve(admin: AuthUser, id: string): Promise<AdminWithdrawalResponseDto> {
    const { row, approved } = await inTransaction(this.dataSource, async (em) => {
      const w = await this.lockFor(em, id, 'approve');
      if (w.user_id === admin.id) throw forbidden('FORBIDDEN', 'Admins cannot approve their own withdrawals');
      const inserted = (await em.query(
        `INSERT INTO withdrawal_approvals (withdrawal_id, admin_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING admin_id`,
        [id, admin.id],
      )) as unknown[];
      if (!inserted.length) throw conflict('ALREADY_EXISTS', 'You already approved this withdrawal; a different admin must give the second approval');
      const [{ count }] = (await em.query(`SELECT count(*)::int AS count FROM withdrawal_approvals WHERE withdrawal_id = $1`, [id])) as { count: number }[];
      const done = count >= Number(w.required_approvals);
      if (done) await em.query(`UPDATE withdrawals SET status = 'approved', approved_at = now(), updated_at = now() WHERE id = $1`, [id]);
      await this.audit.record(
        { action: done ? 'wallet.withdrawal_approved' : 'wallet.withdrawal_approval_recorded', userId: w.user_id, actorId: admin.id, details: { withdrawalId: id, approvals: count, required: w.required_approvals } },
        em,
      );
      return { row: await this.row(em, id, true), approved: done };
    });
    if (approved) {
      const dto = toWithdrawalDto(row);
      await this.email(row.user_id, dto, `Withdrawal approved: ${dto.amount} ${dto.asset}`, `Your withdrawal ${dto.id} of ${dto.amount} ${dto.asset} to ${dto.address} was approved and will be sent shortly.`);
    }
    return { withdrawal: toAdminWithdrawalDto(row) };
  }

  /** The payout was sent: the held amount leaves to external:withdrawals and the fee to platform:fees, once. */
  async complete(admin: AuthUser, id: string, dto: CompleteWithdrawalDto): Promise<AdminWithdrawalResponseDto> {
    const row = await inTransaction(this.dataSource, async (em) => {
      const w = await this.lockFor(em, id, 'complete');
      await em.query(`UPDATE withdrawals SET status = 'completed', tx_hash = $2, completed_at = now(), updated_at = now() WHERE id = $1`, [id, dto.txHash]);
      const amount = dec(w.amount);
      const fee = dec(w.fee);
      await this.ledger.post(em, {
        type: 'withdrawal',
        reference: `withdrawal:${id}:complete`,
        userId: w.user_id,
        description: `Withdrawal of ${amount.toFixed()} ${w.asset} to ${w.address}`,
        lines: [
          { account: userAccount(w.user_id), asset: w.asset, amount: amount.neg(), bucket: 'locked', kind: 'withdrawal' },
          { account: EXTERNAL_WITHDRAWALS, asset: w.asset, amount, bucket: 'available', kind: 'withdrawal' },
          { account: userAccount(w.user_id), asset: w.asset, amount: fee.neg(), bucket: 'locked', kind: 'fee' },
          { account: PLATFORM_FEES, asset: w.asset, amount: fee, bucket: 'available', kind: 'fee' },
        ],
      });
      await this.audit.record({ action: 'wallet.withdrawal_completed', userId: w.user_id, actorId: admin.id, details: { withdrawalId: id, txHash: dto.txHash } }, em);
      return this.row(em, id, true);
    });
    const w = toWithdrawalDto(row);
    await this.email(row.user_id, w, `Withdrawal sent: ${w.amount} ${w.asset}`, `Your withdrawal ${w.id} of ${w.amount} ${w.asset} to ${w.address} was sent. Transaction: ${dto.txHash}`);
    return { withdrawal: toAdminWithdrawalDto(row) };
  }

  async reject(admin: AuthUser, id: string, dto: RejectWithdrawalDto): Promise<AdminWithdrawalResponseDto> {
    const row = await inTransaction(this.dataSource, async (em) => {
      const w = await this.lockFor(em, id, 'reject');
      await em.query(`UPDATE withdrawals SET status = 'rejected', reject_reason = $2, rejected_at = now(), updated_at = now() WHERE id = $1`, [id, dto.reason]);
      await this.releaseHold(em, w, 'rejected');
      await this.audit.record({ action: 'wallet.withdrawal_rejected', userId: w.user_id, actorId: admin.id, details: { withdrawalId: id, reason: dto.reason } }, em);
      return this.row(em, id, true);
    });
    const w = toWithdrawalDto(row);
    await this.email(row.user_id, w, `Withdrawal rejected: ${w.amount} ${w.asset}`, `Your withdrawal ${w.id} of ${w.amount} ${w.asset} was rejected: ${dto.reason}. ${w.total} ${w.asset} is available again.`);
    return { withdrawal: toAdminWithdrawalDto(row) };
  }

  /**
   * The rules `create` enforces, read from the same table and config, plus
   * what is left of this user's 24-hour limit.
   */
  async rules(userId: string): Promise<WithdrawalRulesResponseDto> {
    const limit = this.config.values.withdrawalDailyLimitUsd;
    const used = await this.usedToday(this.dataSource.manager, userId);
    return {
      rules: {
        assets: Object.values(WITHDRAWAL_RULES).map((r) => ({
          asset: r.asset,
          minimum: r.minimum,
          fee: r.fee,
          decimals: WITHDRAWAL_AMOUNT_SCALE,
          networks: r.networks.map((n, i) => ({ name: n.name, addressHint: n.hint, isDefault: i === 0 })),
        })),
        dailyLimitUsd: limit,
        dailyRemainingUsd: toFixedString(Dec.max(dec(limit).sub(used), 0), 2),
        dualApprovalUsd: this.config.values.withdrawalDualApprovalUsd,
      },
    };
  }

  /** USD the user withdrew or has in flight in the last 24 hours. */
  private async usedToday(em: EntityManager, userId: string): Promise<Dec> {
    const [{ sum }] = (await em.query(
      `SELECT coalesce(sum(usd_value), 0)::text AS sum FROM withdrawals WHERE user_id = $1 AND status = ANY($2) AND created_at > now() - interval '24 hours'`,
      [userId, LIMIT_STATUSES],
    )) as { sum: string }[];
    return dec(sum);
  }

  /** USD value at a fresh quote (PRICE_MAX_AGE_MS), for the daily limit and the dual-approval line; 422 PRICE_STALE without one. */
  private usdValue(asset: string, amount: Dec): Dec {
    return freshUsdValue(this.quotes, asset, amount, this.config.values.priceMaxAgeMs);
  }

  private async isReplay(userId: string, key: string | undefined): Promise<boolean> {
    if (!key) return false;
    const rows = (await this.dataSource.query(`SELECT 1 FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3 AND status_code IS NOT NULL`, [
      userId,
      IDEMPOTENCY_SCOPE,
      key,
    ])) as unknown[];
    return rows.length > 0;
  }

  /** Locks the withdrawal row; 404 if it is not there (or not the user's), 409 if the action is not allowed from its status. */
  private async lockFor(em: EntityManager, id: string, action: WithdrawalAction, ownerId?: string): Promise<WithdrawalRow> {
    const [row] = (await em.query(`SELECT * FROM withdrawals WHERE id = $1 ${ownerId ? 'AND user_id = $2' : ''} FOR UPDATE`, ownerId ? [id, ownerId] : [id])) as WithdrawalRow[];
    if (!row) throw notFound('Withdrawal not found');
    if (!canTransition(row.status, action)) throw conflict('INVALID_STATE', `The withdrawal is ${row.status}; it cannot be ${PAST[action]}`);
    return row;
  }

  private releaseHold(em: EntityManager, w: WithdrawalRow, why: string): Promise<string> {
    return this.ledger.release(em, {
      account: userAccount(w.user_id),
      asset: w.asset,
      amount: totalDebit(dec(w.amount), dec(w.fee)),
      type: 'withdrawal_release',
      reference: `withdrawal:${w.id}:release`,
      userId: w.user_id,
      description: `Withdrawal ${why}: hold released`,
    });
  }

  private async row(em: EntityManager, id: string, withEmail = false): Promise<WithdrawalRow> {
    const [row] = (await em.query(
      withEmail ? `SELECT x.*, u.email AS user_email FROM (${SELECT} WHERE w.id = $1) x LEFT JOIN users u ON u.id = x.user_id` : `${SELECT} WHERE w.id = $1`,
      [id],
    )) as WithdrawalRow[];
    return row;
  }

  private async page(where: string, params: unknown[], page: PageQueryDto, withEmail = false): Promise<{ rows: WithdrawalRow[]; nextCursor: string | null }> {
    const limit = page.limit ?? 20;
    const cursor = decodeCursor(page.cursor, 'uuid');
    const n = params.length;
    // Keyset at millisecond precision, the precision the cursor carries.
    const at = `date_trunc('milliseconds', w.created_at)`;
    const keyset = cursor ? `AND (${at}, w.id) < ($${n + 2}, $${n + 3}::uuid)` : '';
    const inner = `${SELECT} WHERE ${where} ${keyset} ORDER BY ${at} DESC, w.id DESC LIMIT $${n + 1}`;
    const sql = withEmail
      ? `SELECT x.*, u.email AS user_email FROM (${inner}) x LEFT JOIN users u ON u.id = x.user_id ORDER BY date_trunc('milliseconds', x.created_at) DESC, x.id DESC`
      : inner;
    const rows = (await this.dataSource.query(sql, [...params, limit + 1, ...(cursor ? [cursor.createdAt, cursor.id] : [])])) as WithdrawalRow[];
    const items = rows.slice(0, limit);
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
        data: { withdrawalId: w.id, status: w.status, asset: w.asset, amount: w.amount },
        email: true,
      });
    } catch (e) {
      this.logger.error(`withdrawal notification failed ${JSON.stringify({ err: (e as Error).message, withdrawalId: w.id, subject })}`);
    }
  }
}
