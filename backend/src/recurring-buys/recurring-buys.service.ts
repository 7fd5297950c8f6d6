import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { UsersReader } from '../auth/users/users.reader';
import { decodeCursor, encodeCursor, PageQueryDto } from '../common/dto/pagination.dto';
import { conflict, notFound, unprocessable, validationFailed } from '../common/errors/app-error';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { CASH_ASSET } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { formatUsd } from '../common/money/prose-format';
import { AppConfig } from '../config/config.service';
import { type Tx, UnitOfWork } from '../database/unit-of-work';
import { MIN_NOTIONAL, notionalForTotal } from '../orders/order-pricing';
import {
  CreateRecurringBuyDto,
  ListRecurringBuysQueryDto,
  RecurringBuyListDto,
  RecurringBuyResponseDto,
  RecurringBuyRunListDto,
} from './dto/recurring-buy.dto';
import { toRecurringBuyDto, toRecurringBuyRunDto } from './recurring-buy.mapper';
import { type RecurringBuyRow, RecurringBuysRepository } from './recurring-buys.repository';
import { MAX_ACTIVE_RECURRING_BUYS, RecurringPeriods, type RecurringBuyStatus } from './recurring-periods';

/** A start this far in the past (a clock a little behind, a slow form) still counts as "now". */
const START_SKEW_MS = 5 * 60_000;
/** The furthest ahead a first buy may be set. */
const MAX_START_AHEAD_MS = 366 * 86_400_000;

/**
 * Recurring buys: create, list, pause, resume, delete (soft: the runs stay),
 * and the history of runs. Running them is RecurringBuysRunner's.
 *
 * A user has at most MAX_ACTIVE_RECURRING_BUYS active ones: creating and
 * resuming lock the user row and count, so parallel requests cannot pass the
 * limit together. Every change is audited (`recurring_buy.*`).
 */
@Injectable()
export class RecurringBuysService {
  constructor(
    private readonly repo: RecurringBuysRepository,
    private readonly users: UsersReader,
    private readonly uow: UnitOfWork,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
  ) {}

  private get feeRate(): Dec {
    return dec(this.config.values.tradingFeeRate);
  }

  /** The periods of a schedule, as the runner counts them. */
  periods(s: Pick<RecurringBuyRow, 'start_at' | 'frequency'>): RecurringPeriods {
    return new RecurringPeriods(new Date(s.start_at), s.frequency, this.config.values.recurringBuysTestPeriodMs);
  }

  async create(userId: string, dto: CreateRecurringBuyDto, idempotencyKey: string | undefined): Promise<RecurringBuyResponseDto> {
    if (dto.symbol === CASH_ASSET || !this.quotes.isKnown(dto.symbol)) throw unprocessable('UNKNOWN_ASSET', `Unknown asset ${dto.symbol}`);
    // The same rule as a market buy of this amount: what is left after the fee must reach the minimum order value.
    if (notionalForTotal(dec(dto.quoteAmount), this.feeRate).lt(MIN_NOTIONAL)) {
      throw unprocessable(
        'MIN_NOTIONAL',
        `Enter at least ${formatUsd(this.minimumAmount())}: after the fee, each buy must be worth at least ${formatUsd(MIN_NOTIONAL)}`,
      );
    }
    const startAt = this.startAt(dto.startAt);
    return this.idempotency.run({ userId, scope: 'recurring-buys.create', key: idempotencyKey, body: dto }, async (tx) => {
      await this.assertRoomForOneMore(tx, userId);
      const id = await this.repo.insert(tx, { userId, symbol: dto.symbol, quoteAmount: dto.quoteAmount, frequency: dto.frequency, startAt });
      const row = (await this.repo.findOwn(userId, id, tx))!;
      await this.audit.record(
        {
          action: 'recurring_buy.created',
          userId,
          details: { recurringBuyId: id, symbol: dto.symbol, quoteAmount: row.quote_amount, frequency: dto.frequency, startAt },
        },
        tx,
      );
      return { recurringBuy: toRecurringBuyDto(row) };
    });
  }

  async list(userId: string, query: ListRecurringBuysQueryDto): Promise<RecurringBuyListDto> {
    const limit = query.limit ?? 20;
    const before = decodeCursor(query.cursor, 'uuid');
    const rows = await this.repo.list(userId, { status: query.status, before, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toRecurringBuyDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  async get(userId: string, id: string): Promise<RecurringBuyResponseDto> {
    return { recurringBuy: toRecurringBuyDto(await this.findOwn(userId, id)) };
  }

  async runs(userId: string, id: string, query: PageQueryDto): Promise<RecurringBuyRunListDto> {
    const schedule = await this.findOwn(userId, id);
    const limit = query.limit ?? 20;
    const before = decodeCursor(query.cursor, 'uuid');
    const rows = await this.repo.runs(id, before, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toRecurringBuyRunDto(r, schedule.symbol)),
      nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.period_start), last.id) : null,
    };
  }

  /** Stops the runs until resumed; a run already under way finishes. 409 unless active. */
  pause(userId: string, id: string): Promise<RecurringBuyResponseDto> {
    return this.change(userId, id, 'paused', ['active'], () => null);
  }

  /** Runs again from the next period that starts (missed periods are not made up); within the active limit. 409 unless paused. */
  resume(userId: string, id: string): Promise<RecurringBuyResponseDto> {
    return this.change(userId, id, 'active', ['paused'], (row, now) => this.periods(row).firstAtOrAfter(now));
  }

  /** Stops it for good; it leaves the list, its runs stay readable. 409 when already deleted. */
  remove(userId: string, id: string): Promise<RecurringBuyResponseDto> {
    return this.change(userId, id, 'deleted', ['active', 'paused'], () => null);
  }

  private async change(
    userId: string,
    id: string,
    to: RecurringBuyStatus,
    from: RecurringBuyStatus[],
    nextRun: (row: RecurringBuyRow, now: Date) => Date | null,
  ): Promise<RecurringBuyResponseDto> {
    const row = await this.uow.run(async (tx) => {
      // The user row first, then the schedule: the same lock order as create.
      if (to === 'active') await this.users.lockForUpdate(tx, userId);
      const status = await this.repo.lockOwn(tx, userId, id);
      if (!status) throw notFound('No such recurring buy');
      if (!from.includes(status)) throw conflict('INVALID_STATE', `The recurring buy is ${status}`);
      if (to === 'active') await this.assertRoomForOneMore(tx, userId);
      const current = (await this.repo.findOwn(userId, id, tx))!;
      await this.repo.setStatus(tx, id, to, nextRun(current, new Date()));
      const action = to === 'active' ? 'resumed' : to;
      await this.audit.record({ action: `recurring_buy.${action}`, userId, details: { recurringBuyId: id, symbol: current.symbol } }, tx);
      return (await this.repo.findOwn(userId, id, tx))!;
    });
    return { recurringBuy: toRecurringBuyDto(row) };
  }

  private async findOwn(userId: string, id: string): Promise<RecurringBuyRow> {
    const row = await this.repo.findOwn(userId, id);
    if (!row) throw notFound('No such recurring buy');
    return row;
  }

  /** Serialises a user's changes on the user row, then counts the active ones. */
  private async assertRoomForOneMore(tx: Tx, userId: string): Promise<void> {
    await this.users.lockForUpdate(tx, userId);
    if ((await this.repo.countActive(tx, userId)) >= MAX_ACTIVE_RECURRING_BUYS) {
      throw unprocessable('LIMIT_EXCEEDED', `At most ${MAX_ACTIVE_RECURRING_BUYS} recurring buys can be active at once; pause or delete one first`);
    }
  }

  /** The first buy: now when not given (or given a moment ago); not in the past, at most a year ahead. */
  private startAt(raw: string | undefined): Date {
    const now = Date.now();
    if (raw === undefined) return new Date(now);
    const at = new Date(raw).getTime();
    if (at < now - START_SKEW_MS) throw validationFailed([{ field: 'startAt', message: 'Choose a start from now on: it cannot be in the past' }]);
    if (at > now + MAX_START_AHEAD_MS) throw validationFailed([{ field: 'startAt', message: 'Choose a start within a year from now' }]);
    return new Date(Math.max(at, now));
  }

  /** The smallest whole-cent amount whose buy passes the minimum order value after the fee. */
  private minimumAmount(): Dec {
    let amount = MIN_NOTIONAL.mul(this.feeRate.add(1)).toDecimalPlaces(2, Dec.ROUND_UP);
    while (notionalForTotal(amount, this.feeRate).lt(MIN_NOTIONAL)) amount = amount.add('0.01');
    return amount;
  }
}
