import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import { notFound, unprocessable } from '../common/errors/app-error';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { CASH_ASSET, formatAmount, formatPrice } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { userAccount } from '../ledger/ledger.types';
import { LedgerReader } from '../ledger/reader/ledger.reader';
import { PositionsReader } from '../orders/positions.reader';
import { CandlesReader } from '../prices/candles/candles.reader';
import {
  HoldingResponseDto,
  MoveTrackedLotDto,
  PortfolioHistoryDto,
  PortfolioHistoryQueryDto,
  PortfolioResponseDto,
  TrackedLotDto,
  TrackedLotListDto,
  TrackedLotResponseDto,
  TrackHoldingDto,
} from './dto/portfolio.dto';
import { AssetCatalogueService } from '../prices/quotes/asset-catalogue.service';
import { PortfolioRepository, type TrackedLotRow } from './portfolio.repository';
import { PositionInput, valuePortfolio } from './portfolio-valuation';

@Injectable()
export class PortfolioService {
  constructor(
    private readonly repo: PortfolioRepository,
    private readonly ledger: LedgerReader,
    private readonly positionsReader: PositionsReader,
    private readonly candles: CandlesReader,
    private readonly catalogue: AssetCatalogueService,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
  ) {}

  async getPortfolio(user: AuthUser): Promise<PortfolioResponseDto> {
    const [balances, costs, tracked] = await Promise.all([
      this.ledger.totals(userAccount(user.id)),
      this.positionsReader.ofUser(user.id),
      this.repo.tracked(user.id),
    ]);
    const costBy = new Map(costs.map((c) => [c.asset, c]));
    let cash = dec(0);
    const positions: PositionInput[] = [];
    for (const b of balances) {
      const amount = dec(b.total);
      if (b.asset === CASH_ASSET) {
        cash = amount;
        continue;
      }
      if (amount.isZero()) continue;
      const c = costBy.get(b.asset);
      const avgCost = c && c.quantity.gt(0) ? c.cost.div(c.quantity) : undefined;
      positions.push({ symbol: b.asset, name: this.catalogue.nameOf(b.asset) ?? b.asset, amount, avgCost, source: 'account', quote: this.quote(b.asset) });
    }
    for (const t of tracked) {
      positions.push({
        symbol: t.symbol,
        name: this.catalogue.nameOf(t.symbol) ?? t.symbol,
        amount: dec(t.amount),
        avgCost: t.avg_cost === null ? undefined : dec(t.avg_cost),
        source: 'tracked',
        quote: this.quote(t.symbol),
      });
    }
    const realized = costs.reduce((s, c) => s.add(c.realizedPnl), dec(0));
    return { portfolio: valuePortfolio(cash, positions, realized) };
  }

  async getHolding(user: AuthUser, symbol: string): Promise<HoldingResponseDto> {
    const wanted = symbol.trim().toUpperCase();
    const { portfolio } = await this.getPortfolio(user);
    // The account holding first; a tracked one when that is all there is.
    const holding = portfolio.holdings.find((h) => h.symbol === wanted && h.source === 'account') ?? portfolio.holdings.find((h) => h.symbol === wanted);
    if (!holding) throw notFound(`No ${wanted} holding`);
    return { holding };
  }

  /** Adds to (or starts) a tracked outside holding (the average cost weighted by amount) as a lot dated `acquiredAt` or now. */
  async trackHolding(user: AuthUser, dto: TrackHoldingDto): Promise<HoldingResponseDto> {
    if (dto.symbol === CASH_ASSET || !this.quotes.isKnown(dto.symbol)) throw unprocessable('UNKNOWN_ASSET', `Unknown asset ${dto.symbol}`);
    const acquiredAt = dto.acquiredAt ? notAfterNow(dto.acquiredAt) : null;
    await this.repo.track(user.id, dto.symbol, dto.amount, dto.avgCost ?? null, acquiredAt);
    const { portfolio } = await this.getPortfolio(user);
    return { holding: portfolio.holdings.find((h) => h.symbol === dto.symbol && h.source === 'tracked')! };
  }

  /** The dated lots of the user's tracked holdings, oldest first. */
  async trackedLots(user: AuthUser): Promise<TrackedLotListDto> {
    return { items: (await this.repo.lots(user.id)).map(toTrackedLotDto) };
  }

  /** Dates one of the user's tracked lots (from 2009 on, not in the future: the DTO's 400); another user's or an unknown lot is 404. */
  async moveTrackedLot(user: AuthUser, id: string, dto: MoveTrackedLotDto): Promise<TrackedLotResponseDto> {
    const acquiredAt = notAfterNow(dto.acquiredAt);
    const row = await this.repo.moveLot(user.id, id, acquiredAt);
    if (!row) throw notFound('No such tracked lot');
    return { lot: toTrackedLotDto(row) };
  }

  async untrackHolding(user: AuthUser, symbol: string): Promise<void> {
    if (!(await this.repo.untrack(user.id, symbol.trim().toUpperCase()))) throw notFound(`No tracked ${symbol.toUpperCase()} holding`);
  }

  /**
   * Value of the account (cash and assets; tracked holdings are not history)
   * at points over the last `days`: holdings at each point from the ledger,
   * each asset valued at the close of the latest recorded candle at or before
   * that point, or at the latest quote when no candle is recorded
   * (`valuation` says which: candles, current or mixed).
   */
  async portfolioHistory(user: AuthUser, q: PortfolioHistoryQueryDto): Promise<PortfolioHistoryDto> {
    const days = q.days ?? 30;
    const stepHours = days <= 1 ? 1 : days <= 7 ? 6 : 24;
    const holdings = await this.ledger.holdingsAt(userAccount(user.id), days, stepHours);
    const points = [...new Map(holdings.map((h) => [new Date(h.t).getTime(), new Date(h.t)])).values()];
    const closes = await this.candles.closesAt([...new Set(holdings.flatMap((h) => (h.asset && h.asset !== CASH_ASSET ? [h.asset] : [])))], points);
    const rows = holdings.map((h) => ({ ...h, close: h.asset && h.asset !== CASH_ASSET ? (closes.get(h.asset)?.get(new Date(h.t).getTime()) ?? null) : null }));
    const values = new Map<number, Dec>();
    let byCandle = 0;
    let byQuote = 0;
    for (const r of rows) {
      const key = new Date(r.t).getTime();
      let v = values.get(key) ?? dec(0);
      if (r.asset && r.amount !== null && !dec(r.amount).isZero()) {
        if (r.asset === CASH_ASSET) v = v.add(r.amount);
        else if (r.close !== null) {
          v = v.add(dec(r.amount).mul(r.close));
          byCandle++;
        } else {
          v = v.add(this.usdAt(r.asset, dec(r.amount)));
          byQuote++;
        }
      }
      values.set(key, v);
    }
    return {
      points: [...values]
        .sort(([a], [b]) => a - b)
        .map(([t, v]) => ({ timestamp: new Date(t).toISOString(), value: formatAmount(v.toDecimalPlaces(2), CASH_ASSET) })),
      valuation: byQuote === 0 ? 'candles' : byCandle === 0 ? 'current' : 'mixed',
    };
  }

  private usdAt(asset: string, amount: Dec): Dec {
    if (asset === CASH_ASSET) return amount;
    const q = this.quotes.latest(asset);
    return q ? amount.mul(q.price) : dec(0);
  }

  private quote(symbol: string): PositionInput['quote'] {
    const q = this.quotes.latest(symbol);
    return q ? { price: dec(q.price), change24h: dec(q.change24h), timestamp: new Date(q.timestamp) } : undefined;
  }
}

/** A purchase date as validated (at most ACQUIRED_AT_SKEW_MS ahead: a clock a little fast), never later than now. */
function notAfterNow(iso: string): Date {
  return new Date(Math.min(new Date(iso).getTime(), Date.now()));
}

function toTrackedLotDto(r: TrackedLotRow): TrackedLotDto {
  return {
    id: r.id,
    symbol: r.symbol,
    acquiredAt: new Date(r.acquired_at).toISOString(),
    quantity: formatAmount(r.quantity, r.symbol),
    unitCost: r.unit_cost === null ? null : formatPrice(r.unit_cost),
  };
}
