import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { AuthUser } from '../common/auth/auth-user';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { conflict, ErrorDetail, notFound, unprocessable, validationFailed } from '../common/errors/app-error';
import { IdempotencyService } from '../common/idempotency/idempotency.service';
import { freshPrice } from '../common/market/fresh-quote';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { CASH_ASSET } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/config.service';
import type { Tx } from '../database/unit-of-work';
import { insufficientFunds, LedgerService } from '../ledger/ledger.service';
import { LedgerLine, PLATFORM_FEES, PLATFORM_TREASURY, userAccount } from '../ledger/ledger.types';
import { UserEventsService } from '../notifications/user-events.service';
import { CostBasisWriter } from '../orders/cost-basis.writer';
import { MIN_NOTIONAL, USD_SCALE } from '../orders/order-pricing';
import { AssetCatalogueService } from '../prices/quotes/asset-catalogue.service';
import { describeConversion, priceConversion } from './convert-pricing';
import { toConversionDto, toQuoteDto } from './convert.mapper';
import { ConvertRepository } from './convert.repository';
import {
  ConversionListDto,
  ConversionResponseDto,
  ConvertHistoryQueryDto,
  ConvertQuoteResponseDto,
  CreateConvertQuoteDto,
  SettleConversionDto,
} from './dto/convert.dto';
import type { ConvertQuoteEntity } from './entities/convert-quote.entity';

/** Quotes that expired unused are kept this long (a late settle answers 409 QUOTE_EXPIRED, not 404), then swept. */
const EXPIRED_QUOTE_RETENTION_MS = 24 * 3_600_000;

/** The combinations a quote request allows: exactly one of `amount` and `receive`, two different assets (400 otherwise). */
export function quoteShapeProblems(dto: CreateConvertQuoteDto): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (dto.from === dto.to) problems.push({ field: 'to', message: 'Choose an asset other than the one you convert from' });
  if (dto.amount === undefined && dto.receive === undefined) {
    problems.push({ field: 'amount', message: 'Enter an amount to convert or an amount to receive' });
  } else if (dto.amount !== undefined && dto.receive !== undefined) {
    problems.push({ field: 'amount', message: 'Enter an amount to convert or an amount to receive, not both' });
  }
  return problems;
}

/**
 * Convert: swap any listed asset (USD included) for another at a quote locked for CONVERT_QUOTE_TTL_MS.
 * The platform treasury is the counterparty, as for orders: it takes what is given (less the fee, which goes to
 * `platform:fees` in the asset given) and delivers what is received; one balanced journal per conversion.
 *
 * Quotes live in PostgreSQL, not Redis: settling must change the quote and post the journal in ONE transaction
 * (either both or neither), and any instance may settle a quote another made. The quote row, locked `FOR UPDATE`,
 * serialises concurrent settles of it: the first posts the journal (reference `convert:<id>`, unique) and marks it
 * settled; the others then read it settled and answer the same conversion.
 */
@Injectable()
export class ConvertService {
  private readonly logger = new Logger('Convert');

  constructor(
    private readonly repo: ConvertRepository,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    private readonly catalogue: AssetCatalogueService,
    private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly costBasis: CostBasisWriter,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly events: UserEventsService,
  ) {}

  /** Prices a conversion at the live quotes and stores it for CONVERT_QUOTE_TTL_MS; nothing moves yet. */
  async createQuote(user: AuthUser, input: CreateConvertQuoteDto): Promise<ConvertQuoteResponseDto> {
    // An explicit null is the same as leaving the field out.
    const dto = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as CreateConvertQuoteDto;
    const problems = quoteShapeProblems(dto);
    if (problems.length) throw validationFailed(problems);
    const fromScale = this.scaleOf(dto.from);
    const toScale = this.scaleOf(dto.to);
    const amount = dto.amount !== undefined ? dec(dto.amount) : undefined;
    const receive = dto.receive !== undefined ? dec(dto.receive) : undefined;
    if (amount && amount.decimalPlaces() > fromScale) throw validationFailed([{ field: 'amount', message: `Use at most ${fromScale} decimals` }]);
    if (receive && receive.decimalPlaces() > toScale) throw validationFailed([{ field: 'receive', message: `Use at most ${toScale} decimals` }]);

    const fromPrice = this.usdPrice(dto.from);
    const toPrice = this.usdPrice(dto.to);
    const p = priceConversion({ fromPrice, toPrice, feeRate: dec(this.config.values.tradingFeeRate), fromScale, toScale, amount, receive });
    if (p.notionalUsd.lt(MIN_NOTIONAL) || !p.receive.isPositive() || !p.net.isPositive()) {
      throw unprocessable('MIN_NOTIONAL', `Convert at least ${MIN_NOTIONAL.toFixed(2)} USD worth`);
    }
    // Refused now rather than at settlement when the balance cannot pay it (it is checked again, under lock, then).
    const balance = (await this.ledger.balancesOf(userAccount(user.id))).find((b) => b.asset === dto.from);
    const available = dec(balance?.available ?? 0);
    if (available.lt(p.give)) throw insufficientFunds(dto.from, p.give, available);

    const quote = await this.repo.insert({
      userId: user.id,
      fromAsset: dto.from,
      toAsset: dto.to,
      give: p.give,
      fee: p.fee,
      feeUsd: p.feeUsd,
      receive: p.receive,
      fromPrice,
      toPrice,
      ttlMs: this.config.values.convertQuoteTtlMs,
    });
    return { quote: toQuoteDto(quote) };
  }

  /**
   * Settles the caller's quote once: one journal (the `from` asset debited, the `to` asset credited, the fee to
   * `platform:fees`), the cost basis, the quote marked settled and an audit record, in one transaction. Settling a
   * settled quote answers that conversion again; 404 for an unknown or another user's quote, 409 QUOTE_EXPIRED after
   * its expiry, 422 INSUFFICIENT_FUNDS (nothing moved) when the balance no longer pays it.
   */
  async settle(user: AuthUser, dto: SettleConversionDto, idempotencyKey: string | undefined): Promise<ConversionResponseDto> {
    let settled = false;
    const result = await this.idempotency.run({ userId: user.id, scope: 'convert.settle', key: idempotencyKey, body: { quoteId: dto.quoteId } }, async (tx) => {
      settled = false;
      const locked = await this.repo.lockOwn(tx, user.id, dto.quoteId);
      if (!locked) throw notFound('No such quote');
      if (locked.quote.status === 'settled') return { conversion: toConversionDto(locked.quote) };
      if (locked.expired) throw conflict('QUOTE_EXPIRED', 'This quote has expired: get a new quote');
      const conversion = await this.post(tx, locked.quote);
      settled = true;
      return { conversion: toConversionDto(conversion) };
    });
    if (settled) {
      // The caller has the HTTP answer; the event keeps the user's other tabs and devices current.
      this.events
        .publish(user.id, { type: 'convert_settled', data: { ...result }, timestamp: new Date().toISOString() })
        .catch((e: unknown) => this.logger.warn(`convert event not published: ${(e as Error).message}`));
    }
    return result;
  }

  async listConversions(user: AuthUser, q: ConvertHistoryQueryDto): Promise<ConversionListDto> {
    const limit = q.limit ?? 20;
    const cursor = decodeCursor(q.cursor, 'uuid');
    const rows = await this.repo.settledPage(user.id, limit + 1, cursor);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toConversionDto), nextCursor: rows.length > limit && last?.settledAt ? encodeCursor(new Date(last.settledAt), last.id) : null };
  }

  /** Sweeps quotes that expired unused a day ago (every instance may run it: a DELETE twice deletes once). */
  @Interval('convert-quote-sweep', 3_600_000)
  async sweepExpiredQuotes(): Promise<void> {
    try {
      const n = await this.repo.deleteExpired(EXPIRED_QUOTE_RETENTION_MS);
      if (n) this.logger.log(`swept ${n} expired convert quotes`);
    } catch (e) {
      this.logger.warn(`convert quote sweep failed: ${(e as Error).message}`);
    }
  }

  /** The journal, the cost basis, the quote settled and the audit record, on `tx`. */
  private async post(tx: Tx, q: ConvertQuoteEntity): Promise<ConvertQuoteEntity> {
    const user = userAccount(q.userId);
    const give = dec(q.giveAmount);
    const fee = dec(q.fee);
    const net = give.sub(fee);
    const receive = dec(q.receiveAmount);
    const fromPrice = dec(q.fromPrice);
    const toPrice = dec(q.toPrice);
    const locked = await this.ledger.lock(tx, [
      { account: user, asset: q.fromAsset },
      { account: user, asset: q.toAsset },
    ]);
    const lines: LedgerLine[] = [
      { account: user, asset: q.fromAsset, amount: net.neg(), bucket: 'available', kind: 'trade' },
      { account: PLATFORM_TREASURY, asset: q.fromAsset, amount: net, bucket: 'available', kind: 'trade' },
      { account: user, asset: q.fromAsset, amount: fee.neg(), bucket: 'available', kind: 'fee' },
      { account: PLATFORM_FEES, asset: q.fromAsset, amount: fee, bucket: 'available', kind: 'fee' },
      { account: PLATFORM_TREASURY, asset: q.toAsset, amount: receive.neg(), bucket: 'available', kind: 'trade' },
      { account: user, asset: q.toAsset, amount: receive, bucket: 'available', kind: 'trade' },
    ];
    const journalId = await this.ledger.post(
      tx,
      {
        type: 'convert',
        reference: `convert:${q.id}`,
        userId: q.userId,
        description: describeConversion(q.fromAsset, q.toAsset, { give, receive, fee }, fromPrice, toPrice),
        lines,
      },
      locked,
    );
    await this.recordCostBasis(tx, q, give, receive, fromPrice);
    const settled = await this.repo.markSettled(tx, q.id, journalId);
    if (!settled) throw conflict('INVALID_STATE', 'This quote was settled meanwhile');
    await this.audit.record(
      {
        action: 'convert.settled',
        userId: q.userId,
        details: { quoteId: q.id, journalId, from: q.fromAsset, to: q.toAsset, give: give.toFixed(), fee: fee.toFixed(), receive: receive.toFixed() },
      },
      tx,
    );
    return settled;
  }

  /**
   * The cost basis moves as if the asset given were sold and the one received bought at the quote's USD value
   * (USD itself has no position): the sale realises what was given is worth, fee included; the purchase costs that
   * same value, so the fee counts once, in the cost of what was bought (as an order's buy). Converting into USD,
   * the sale realises the USD received.
   */
  private async recordCostBasis(tx: Tx, q: ConvertQuoteEntity, give: Dec, receive: Dec, fromPrice: Dec): Promise<void> {
    const worth = q.fromAsset === CASH_ASSET ? give : give.mul(fromPrice).toDecimalPlaces(USD_SCALE, Dec.ROUND_UP);
    const zero = dec(0);
    if (q.fromAsset !== CASH_ASSET) {
      const proceeds = q.toAsset === CASH_ASSET ? receive : give.mul(fromPrice).toDecimalPlaces(USD_SCALE, Dec.ROUND_DOWN);
      await this.costBasis.record(tx, { userId: q.userId, symbol: q.fromAsset, side: 'sell', e: { quantity: give, notional: proceeds, fee: zero } });
    }
    if (q.toAsset !== CASH_ASSET) {
      await this.costBasis.record(tx, { userId: q.userId, symbol: q.toAsset, side: 'buy', e: { quantity: receive, notional: worth, fee: zero } });
    }
  }

  /** USD is itself; a listed asset at a quote no older than PRICE_MAX_AGE_MS (422 PRICE_STALE), else 422 UNKNOWN_ASSET. */
  private usdPrice(asset: string): Dec {
    if (asset === CASH_ASSET) return dec(1);
    return freshPrice(this.quotes, asset, this.config.values.priceMaxAgeMs);
  }

  /** Decimals an amount of `asset` keeps: USD 8 internally, a listed asset its catalogue's; 422 UNKNOWN_ASSET for others. */
  private scaleOf(asset: string): number {
    if (asset === CASH_ASSET) return USD_SCALE;
    const listed = this.quotes.isKnown(asset) ? this.catalogue.bySymbolOrUndefined(asset) : undefined;
    if (!listed) throw unprocessable('UNKNOWN_ASSET', `Unknown asset ${asset}`);
    return Math.min(listed.decimals, 18);
  }
}
