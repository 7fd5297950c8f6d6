/** What the readiness probe needs to know about market data; provided by the prices module. */
export interface PriceFreshness {
  /** The source currently serving quotes, its state, and the age of the newest quote. */
  freshness(): { source: string; state: string; ageMs: number | null; stale: boolean };
}

export const PRICE_FRESHNESS = Symbol('PRICE_FRESHNESS');
