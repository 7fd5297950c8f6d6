import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth/auth-user';
import { notFound, unprocessable } from '../common/errors/app-error';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { CASH_ASSET, formatAmount } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { userAccount } from '../wallet/ledger.types';
import {
  HoldingResponseDto,
  PortfolioHistoryDto,
  PortfolioHistoryQueryDto,
  PortfolioResponseDto,
  TrackHoldingDto,
} from './dto/portfolio.dto';
import { TrackedHoldingEntity } from './entities/tracked-holding.entity';
import { PositionInput, valuePortfolio } from './portfolio-valuation';

@Injectable()
export class PortfolioService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
  ) {}

  async getPortfolio(user: AuthUser): Promise<PortfolioResponseDto> {
    const [balances, costs, tracked] = await Promise.all([
      this.dataSource.query(`SELECT asset, available + locked AS total FROM balances WHERE account = $1`, [userAccount(user.id)]) as Promise<
        { asset: string; total: string }[]
      >,
      this.dataSource.query(`SELECT asset, quantity, cost, realized_pnl FROM position_costs WHERE user_id = $1`, [user.id]) as Promise<
        { asset: string; quantity: string; cost: string; realized_pnl: string }[]
      >,
      this.dataSource.query(`SELECT symbol, amount, avg_cost FROM tracked_holdings WHERE user_id = $1`, [user.id]) as Promise<
        { symbol: string; amount: string; avg_cost: string | null }[]
      >,
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
      const avgCost = c && dec(c.quantity).gt(0) ? dec(c.cost).div(c.quantity) : undefined;
      positions.push({ symbol: b.asset, name: b.asset, amount, avgCost, source: 'account', quote: this.quote(b.asset) });
    }
    for (const t of tracked) {
      positions.push({
        symbol: t.symbol,
        name: t.symbol,
        amount: dec(t.amount),
        avgCost: t.avg_cost === null ? undefined : dec(t.avg_cost),
        source: 'tracked',
        quote: this.quote(t.symbol),
      });
    }
    const realized = costs.reduce((s, c) => s.add(c.realized_pnl), dec(0));
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

  /** Adds to (or starts) a tracked outside holding; the average cost is weighted by amount. */
  async trackHolding(user: AuthUser, dto: TrackHoldingDto): Promise<HoldingResponseDto> {
    if (dto.symbol === CASH_ASSET || !this.quotes.isKnown(dto.symbol)) throw unprocessable('UNKNOWN_ASSET', `Unknown asset ${dto.symbol}`);
    await this.dataSource.query(
      `INSERT INTO tracked_holdings AS t (user_id, symbol, amount, avg_cost) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, symbol) DO UPDATE SET
         amount = t.amount + EXCLUDED.amount,
         avg_cost = CASE
           WHEN t.avg_cost IS NULL THEN EXCLUDED.avg_cost
           WHEN EXCLUDED.avg_cost IS NULL THEN t.avg_cost
           ELSE round((t.avg_cost * t.amount + EXCLUDED.avg_cost * EXCLUDED.amount) / (t.amount + EXCLUDED.amount), 18)
         END,
         updated_at = now()`,
      [user.id, dto.symbol, dto.amount, dto.avgCost ?? null],
    );
    const { portfolio } = await this.getPortfolio(user);
    return { holding: portfolio.holdings.find((h) => h.symbol === dto.symbol && h.source === 'tracked')! };
  }

  async untrackHolding(user: AuthUser, symbol: string): Promise<void> {
    const { affected } = await this.dataSource.getRepository(TrackedHoldingEntity).delete({ userId: user.id, symbol: symbol.trim().toUpperCase() });
    if (!affected) throw notFound(`No tracked ${symbol.toUpperCase()} holding`);
  }

  /**
   * Value of the account (cash and assets, not tracked holdings) at points
   * over the last `days`: holdings at each point from the ledger, valued at
   * the latest quotes (the ledger is exact history; prices are today's).
   */
  async portfolioHistory(user: AuthUser, q: PortfolioHistoryQueryDto): Promise<PortfolioHistoryDto> {
    const days = q.days ?? 30;
    const stepHours = days <= 1 ? 1 : days <= 7 ? 6 : 24;
    const rows = (await this.dataSource.query(
      `WITH points AS (
         SELECT generate_series(now() - make_interval(days => $2), now(), make_interval(hours => $3)) AS t
         UNION SELECT now()
       )
       SELECT p.t, e.asset, coalesce(sum(e.amount), 0) AS amount
       FROM points p LEFT JOIN ledger_entries e ON e.account = $1 AND e.created_at <= p.t
       GROUP BY p.t, e.asset ORDER BY p.t`,
      [userAccount(user.id), days, stepHours],
    )) as { t: Date; asset: string | null; amount: string }[];
    const values = new Map<number, Dec>();
    for (const r of rows) {
      const key = new Date(r.t).getTime();
      const v = values.get(key) ?? dec(0);
      values.set(key, r.asset ? v.add(this.usdAt(r.asset, dec(r.amount))) : v);
    }
    return {
      points: [...values].sort(([a], [b]) => a - b).map(([t, v]) => ({ timestamp: new Date(t).toISOString(), value: formatAmount(v.toDecimalPlaces(2), CASH_ASSET) })),
      valuation: 'current',
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
