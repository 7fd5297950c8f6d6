import { CASH_ASSET, formatAmount, formatPrice, percent } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import type { HoldingDto, HoldingSource, PortfolioDto } from './dto/portfolio.dto';

export interface PositionInput {
  symbol: string;
  name: string;
  amount: Dec;
  /** Average cost per unit, when known. */
  avgCost?: Dec;
  source: HoldingSource;
  quote?: { price: Dec; change24h: Dec; timestamp: Date };
}

const usd = (v: Dec): string => formatAmount(v.toDecimalPlaces(2), CASH_ASSET);

/**
 * Values positions at their quotes: value = amount × price, pnl = (price −
 * avgCost) × amount, allocation = value / total, and the 24 h change in USD
 * from each quote's 24 h change (value × c / (100 + c)). Pure: no I/O.
 */
export function valuePortfolio(cash: Dec, positions: PositionInput[], realizedPnl: Dec): PortfolioDto {
  let holdingsValue = dec(0);
  let invested = dec(0);
  let pnl = dec(0);
  let change = dec(0);
  let pricesAsOf: Date | undefined;
  const valued = positions.map((p) => {
    const value = p.quote ? p.amount.mul(p.quote.price) : dec(0);
    holdingsValue = holdingsValue.add(value);
    let positionPnl: Dec | undefined;
    if (p.avgCost && p.quote) {
      const cost = p.avgCost.mul(p.amount);
      invested = invested.add(cost);
      positionPnl = value.sub(cost);
      pnl = pnl.add(positionPnl);
    }
    if (p.quote) {
      const c = p.quote.change24h;
      if (!c.eq(-100)) change = change.add(value.mul(c).div(c.add(100)));
      if (!pricesAsOf || p.quote.timestamp < pricesAsOf) pricesAsOf = p.quote.timestamp;
    }
    return { p, value, positionPnl };
  });
  const total = cash.add(holdingsValue);
  const holdings: HoldingDto[] = valued
    .sort((a, b) => b.value.cmp(a.value) || a.p.symbol.localeCompare(b.p.symbol) || a.p.source.localeCompare(b.p.source))
    .map(({ p, value, positionPnl }) => ({
      symbol: p.symbol,
      name: p.name,
      amount: formatAmount(p.amount, p.symbol),
      avgCost: p.avgCost ? formatPrice(p.avgCost.toDecimalPlaces(8)) : null,
      currentPrice: p.quote ? formatPrice(p.quote.price) : null,
      value: usd(value),
      pnl: positionPnl ? usd(positionPnl) : null,
      pnlPct: positionPnl && p.avgCost ? percent(positionPnl, p.avgCost.mul(p.amount)) : null,
      allocation: percent(value, total),
      source: p.source,
    }));
  const before = holdingsValue.sub(change);
  return {
    totalValue: usd(total),
    cash: usd(cash),
    invested: usd(invested),
    unrealizedPnl: usd(pnl),
    unrealizedPnlPct: percent(pnl, invested),
    realizedPnl: usd(realizedPnl),
    change24h: usd(change),
    change24hPct: percent(change, before.add(cash)),
    pricesAsOf: pricesAsOf ? pricesAsOf.toISOString() : null,
    holdings,
  };
}
