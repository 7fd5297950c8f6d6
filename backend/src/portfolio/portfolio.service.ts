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
  private names?: Map<string, string>;

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
    const names = await this.assetNames();
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
      positions.push({ symbol: b.asset, name: names.get(b.asset) ?? b.asset, amount, avgCost, source: 'account', quote: this.quote(b.asset) });
    }
    for (const t of tracked) {
      positions.push({
        symbol: t.symbol,
        name: names.get(t.symbol) ?? t.symbol,
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
   * Value of the account (cash and assets; tracked holdings are not history)
   * at points over the last `days`: holdings at each point from the ledger,
   * each asset valued at the close of the latest recorded candle at or before
   * that point, or at the latest quote when no candle is recorded
   * (`valuation` says which: candles, current or mixed).
   */
  async portfolioHistory(user: AuthUser, q: PortfolioHistoryQueryDto): Promise<PortfolioHistoryDto> {
    const days = q.days ?? 30;
    const stepHours = days <= 1 ? 1 : days <= 7 ? 6 : 24;
    const rows = (await this.dataSource.query(
      `WITH points AS (
         SELECT generate_series(now() - make_interval(days => $2), now(), make_interval(hours => $3)) AS t
         UNION SELECT now()
       ), holdings AS (
         SELECT p.t, e.asset, sum(e.amount) AS amount
         FROM points p JOIN ledger_entries e ON e.account = $1 AND e.created_at <= p.t
         GROUP BY p.t, e.asset
       )
       SELECT p.t, h.asset, h.amount, c.close
       FROM points p
       LEFT JOIN holdings h ON h.t = p.t
       LEFT JOIN LATERAL (
         SELECT pc.close FROM price_candles pc
         WHERE pc.symbol = h.asset AND pc.bucket <= p.t ORDER BY pc.bucket DESC LIMIT 1
       ) c ON h.asset <> '${CASH_ASSET}'
       ORDER BY p.t`,
      [userAccount(user.id), days, stepHours],
    )) as { t: Date; asset: string | null; amount: string | null; close: string | null }[];
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
      points: [...values].sort(([a], [b]) => a - b).map(([t, v]) => ({ timestamp: new Date(t).toISOString(), value: formatAmount(v.toDecimalPlaces(2), CASH_ASSET) })),
      valuation: byQuote === 0 ? 'candles' : byCandle === 0 ? 'current' : 'mixed',
    };
  }

  /** Display names from the asset catalogue (prices module's `assets` table). */
  private async assetNames(): Promise<Map<string, string>> {
    if (!this.names) {
      const rows = (await this.dataSource.query(`SELECT symbol, name FROM assets`)) as { symbol: string; name: string }[];
      this.names = new Map(rows.map((r) => [r.symbol, r.name]));
    }
    return this.names;
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
