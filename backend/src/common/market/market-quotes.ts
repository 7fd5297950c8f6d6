/**
 * The market-data contract other modules (orders, portfolio, alerts, wallet)
 * depend on. The prices module's QuotesModule provides it under MARKET_QUOTES
 * (import QuotesModule to inject it). Ticks as they come are not here: they
 * are `MarketEvents` (prices/quotes/market-events.ts).
 */
export interface Quote {
  /** Upper-case ticker, e.g. "BTC". */
  symbol: string;
  /** USD price, decimal string. */
  price: string;
  /** 24h change in percent, decimal string (may be negative). */
  change24h: string;
  /** When the source observed this price. */
  timestamp: Date;
  /** Which source produced it: simulated, coingecko, coincap, binance. */
  source: string;
}

export interface MarketQuotes {
  /** Latest quote for a symbol, or undefined for an unknown or not-yet-quoted asset. Never throws. */
  latest(symbol: string): Quote | undefined;
  /** Every latest quote. */
  all(): Quote[];
  /** Whether the symbol is an enabled asset of the catalogue. */
  isKnown(symbol: string): boolean;
  /** True while this instance holds the ingestion lease (leader). */
  isLeader(): boolean;
}

export const MARKET_QUOTES = Symbol('MARKET_QUOTES');
