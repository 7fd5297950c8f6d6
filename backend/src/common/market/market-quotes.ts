/**
 * The market-data contract other modules (orders, portfolio, alerts, wallet)
 * depend on. The prices module provides it under MARKET_QUOTES.
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
  /**
   * Calls `listener` with each batch of new quotes ingested on THIS instance
   * (only the leader ingests). The trigger engine and alerts subscribe here.
   * Returns an unsubscribe function.
   */
  onTick(listener: (quotes: Quote[]) => void): () => void;
  /** True while this instance holds the ingestion lease (leader). */
  isLeader(): boolean;
}

export const MARKET_QUOTES = Symbol('MARKET_QUOTES');
