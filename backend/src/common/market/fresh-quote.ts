import { unprocessable } from '../errors/app-error';
import { Dec, dec } from '../money/decimal';
import { CASH_ASSET } from '../money/amount-format';
import type { MarketQuotes } from './market-quotes';

/**
 * The USD price of `symbol` from a quote no older than `maxAgeMs`
 * (PRICE_MAX_AGE_MS), else 422 PRICE_STALE. Everything that prices money
 * (market and resting orders, withdrawal limits, adjustment dual control)
 * asks here, so one rule decides what "fresh" means.
 */
export function freshPrice(quotes: MarketQuotes, symbol: string, maxAgeMs: number, now = Date.now()): Dec {
  const quote = quotes.latest(symbol);
  const age = quote ? now - new Date(quote.timestamp).getTime() : Infinity;
  if (!quote || !(age <= maxAgeMs)) {
    throw unprocessable('PRICE_STALE', `No ${symbol} price newer than ${maxAgeMs} ms; try again shortly`);
  }
  return dec(quote.price);
}

/** USD value of `amount` of `asset` at a fresh quote (USD is itself); 422 PRICE_STALE without one. */
export function freshUsdValue(quotes: MarketQuotes, asset: string, amount: Dec, maxAgeMs: number): Dec {
  return asset === CASH_ASSET ? amount : amount.mul(freshPrice(quotes, asset, maxAgeMs));
}
