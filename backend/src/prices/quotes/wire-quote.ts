/** Quotes as they travel: from ingestion to every instance over PUB_SUB, and to the candles (`ingested`). */
export interface MarketStats {
  volume24h: string | null;
  high24h: string | null;
  low24h: string | null;
  marketCap: string | null;
}

/** Which source serves, in what state, and when the newest quote was observed. */
export interface FeedStatus {
  source: string;
  /** live (the first source serves), failover (a later one serves), down (none), starting. */
  state: string;
  lastUpdate: string | null;
}

export interface WireQuote extends MarketStats {
  symbol: string;
  price: string;
  change24h: string;
  timestamp: string;
  source: string;
}
