import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { MARKET_QUOTES, type MarketQuotes } from '../../common/market/market-quotes';
import { CASH_ASSET, formatAmount } from '../../common/money/amount-format';
import { Dec, dec } from '../../common/money/decimal';
import { userAccount } from '../../ledger/ledger.types';
import { LedgerReader } from '../../ledger/reader/ledger.reader';
import { CandlesReader } from '../../prices/candles/candles.reader';
import { AssetCatalogueService } from '../../prices/quotes/asset-catalogue.service';
import { PerformanceDto, PerformanceRange, PerformanceResponseDto } from '../dto/performance.dto';
import { PortfolioRepository } from '../portfolio.repository';
import { computePerformance, type Movement, type PerformanceInput, type TrackedLot } from './performance-calc';
import { ratePercent } from './returns';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Chart steps, finest first: the finest that keeps a range within MAX_POINTS points is used. */
const STEPS = [15 * MINUTE, HOUR, 6 * HOUR, DAY, 7 * DAY];
const MAX_POINTS = 400;

/** The start of a range ending at `to` (UTC calendar for months and years); null for ALL. */
export function rangeStart(range: PerformanceRange, to: Date): Date | null {
  const d = new Date(to);
  switch (range) {
    case '1D':
      return new Date(to.getTime() - DAY);
    case '1W':
      return new Date(to.getTime() - 7 * DAY);
    case '1M':
      d.setUTCMonth(d.getUTCMonth() - 1);
      return d;
    case '3M':
      d.setUTCMonth(d.getUTCMonth() - 3);
      return d;
    case 'YTD':
      return new Date(Date.UTC(to.getUTCFullYear(), 0, 1));
    case '1Y':
      d.setUTCFullYear(d.getUTCFullYear() - 1);
      return d;
    case 'ALL':
      return null;
  }
}

/** The chart's times between `from` and `to`: multiples of the finest step that keeps them within MAX_POINTS. */
export function pointTimes(from: Date, to: Date): Date[] {
  const span = to.getTime() - from.getTime();
  const step = STEPS.find((s) => span / s <= MAX_POINTS) ?? Math.ceil(span / MAX_POINTS / DAY) * DAY;
  const out: Date[] = [];
  for (let t = Math.floor(from.getTime() / step) * step + step; t < to.getTime(); t += step) out.push(new Date(t));
  return out;
}

const usd = (v: Dec): string => formatAmount(v.toDecimalPlaces(2), CASH_ASSET);

/**
 * Performance of a user's portfolio over a range (GET /api/portfolio/performance): from the ledger's movements
 * (LedgerReader.movements: one query for the account's history), the tracked lots (one query) and the recorded
 * candle closes at the times the computation needs (CandlesReader.closesAt: one query for every asset and time), the
 * value now at the latest quotes. The computation itself is pure (performance-calc.ts).
 */
@Injectable()
export class PerformanceService {
  constructor(
    private readonly repo: PortfolioRepository,
    private readonly ledger: LedgerReader,
    private readonly candles: CandlesReader,
    private readonly catalogue: AssetCatalogueService,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
  ) {}

  async performance(user: AuthUser, range: PerformanceRange): Promise<PerformanceResponseDto> {
    const to = new Date();
    const [rows, lotRows] = await Promise.all([this.ledger.movements(userAccount(user.id), to), this.repo.lots(user.id)]);
    const movements: Movement[] = rows.map((r) => ({ journalId: r.journal_id, at: new Date(r.at), asset: r.asset, total: r.total, flow: r.flow, fee: r.fee }));
    const lots: TrackedLot[] = lotRows.map((l) => ({
      symbol: l.symbol,
      acquiredAt: new Date(l.acquired_at),
      quantity: dec(l.quantity),
      unitCost: l.unit_cost === null ? null : dec(l.unit_cost),
    }));
    const input: PerformanceInput = { movements, lots, rangeStart: rangeStart(range, to), to, pointTimes, price: () => null };

    // A first pass records which (asset, time) prices the computation asks for; one query fetches them all.
    const wanted = new Map<string, Set<number>>();
    computePerformance({
      ...input,
      skipReturns: true,
      price: (asset, at) => {
        if (at.getTime() !== to.getTime()) {
          let times = wanted.get(asset);
          if (!times) wanted.set(asset, (times = new Set()));
          times.add(at.getTime());
        }
        return dec(1);
      },
    });
    const times = [...new Set([...wanted.values()].flatMap((s) => [...s]))].map((t) => new Date(t));
    const closes = await this.candles.closesAt([...wanted.keys()], times);
    let fromQuotes = 0;
    const live = (asset: string): Dec | null => {
      const q = this.quotes.latest(asset);
      return q ? dec(q.price) : null;
    };
    const result = computePerformance({
      ...input,
      price: (asset, at) => {
        if (at.getTime() === to.getTime()) return live(asset) ?? this.lastClose(closes, asset);
        const close = closes.get(asset)?.get(at.getTime());
        if (close !== undefined) return dec(close);
        fromQuotes++;
        return live(asset);
      },
    });
    return { performance: this.toDto(range, to, result, fromQuotes) };
  }

  private lastClose(closes: Map<string, Map<number, string>>, asset: string): Dec | null {
    const byTime = closes.get(asset);
    if (!byTime?.size) return null;
    return dec([...byTime].sort(([a], [b]) => b - a)[0][1]);
  }

  private toDto(range: PerformanceRange, to: Date, p: ReturnType<typeof computePerformance>, fromQuotes = 0): PerformanceDto {
    if (!p)
      return {
        range,
        from: null,
        to: to.toISOString(),
        firstFundedAt: null,
        startValue: '0.00',
        endValue: '0.00',
        inflows: '0.00',
        outflows: '0.00',
        netFlows: '0.00',
        gain: '0.00',
        fees: '0.00',
        twr: null,
        irr: null,
        irrAnnualised: null,
        valuation: 'candles',
        points: [],
        assets: [],
      };
    return {
      range,
      from: p.from.toISOString(),
      to: p.to.toISOString(),
      firstFundedAt: p.firstFundedAt ? p.firstFundedAt.toISOString() : null,
      startValue: usd(p.startValue),
      endValue: usd(p.endValue),
      inflows: usd(p.inflows),
      outflows: usd(p.outflows),
      netFlows: usd(p.netFlows),
      gain: usd(p.gain),
      fees: usd(p.fees),
      twr: p.twr ? ratePercent(p.twr) : null,
      irr: p.mwr ? ratePercent(p.mwr.period) : null,
      irrAnnualised: p.mwr?.annualised ? ratePercent(p.mwr.annualised) : null,
      valuation: fromQuotes === 0 && p.unpricedAt === 0 ? 'candles' : 'current',
      points: p.points.map((pt) => ({ at: pt.at.toISOString(), value: usd(pt.value), netFlows: usd(pt.netFlows) })),
      assets: p.assets.map((a) => ({
        symbol: a.symbol,
        name: this.catalogue.nameOf(a.symbol) ?? a.symbol,
        source: a.source,
        quantity: formatAmount(a.quantity, a.symbol),
        value: a.value ? usd(a.value) : null,
        costBasis: a.costBasis ? usd(a.costBasis) : null,
        unrealised: a.unrealised ? usd(a.unrealised) : null,
        realised: usd(a.realised),
        fees: usd(a.fees),
      })),
    };
  }
}
