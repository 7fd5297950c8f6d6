import type { Dec } from '../../../common/money/decimal';
import { dec } from '../../../common/money/decimal';
import { MARKET_SNAPSHOT, type AssetSnapshot } from '../../market-snapshot';
import { amount, percent, usd, type PriceSource, type SourceQuote, type SourceSink } from './price-source';
import { normal, seededRandom } from './random';

const YEAR_MS = 365 * 24 * 3_600_000;
const STABLECOINS = new Set(['USDT', 'USDC']);

export interface SimulatedOptions {
  tickMs: number;
  seed?: number;
  /** Annualised volatility; 0 freezes every price at the snapshot. */
  volatility: number;
}

interface Walk {
  symbol: string;
  snapshot: AssetSnapshot;
  price: Dec;
  open24h: Dec;
  high: Dec;
  low: Dec;
}

/**
 * Geometric Brownian motion from the bundled snapshot of real prices
 * (ARCHITECTURE §4). Stablecoins revert to 1. Every quote it makes is
 * labelled `simulated` by the aggregator; it never pretends to be a market.
 */
export class SimulatedSource implements PriceSource {
  readonly name = 'simulated' as const;
  readonly silenceMs: number;
  private readonly walks: Walk[];
  private readonly random: () => number;
  private timer?: NodeJS.Timeout;

  constructor(
    symbols: string[],
    private readonly options: SimulatedOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
    this.silenceMs = Math.max(5_000, options.tickMs * 5);
    this.walks = symbols
      .filter((s) => MARKET_SNAPSHOT[s])
      .map((symbol) => {
        const snapshot = MARKET_SNAPSHOT[symbol];
        const price = dec(snapshot.price);
        return {
          symbol,
          snapshot,
          price,
          open24h: price.div(dec(snapshot.change24h).div(100).plus(1)),
          high: dec(snapshot.high24h),
          low: dec(snapshot.low24h),
        };
      });
  }

  start(sink: SourceSink): void {
    sink.quotes(this.quotes());
    this.timer = setInterval(() => {
      this.step();
      sink.quotes(this.quotes());
    }, this.options.tickMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Advances every walk by one tick. */
  step(): void {
    const sigma = this.options.volatility;
    if (sigma === 0) return;
    const dt = this.options.tickMs / YEAR_MS;
    for (const w of this.walks) {
      const z = normal(this.random);
      if (STABLECOINS.has(w.symbol)) {
        // Mean-reverting around the peg, a few basis points of noise.
        const next = w.price
          .minus(1)
          .times(0.98)
          .plus(1)
          .plus(dec(z * sigma * 0.0004));
        w.price = next;
      } else {
        w.price = w.price.times(dec(Math.exp(sigma * Math.sqrt(dt) * z - (sigma * sigma * dt) / 2)));
      }
      if (w.price.gt(w.high)) w.high = w.price;
      if (w.price.lt(w.low)) w.low = w.price;
    }
  }

  quotes(): SourceQuote[] {
    const timestamp = new Date(this.now());
    const frozen = this.options.volatility === 0;
    return this.walks.map((w) => ({
      symbol: w.symbol,
      price: usd(w.price),
      change24h: frozen ? percent(w.snapshot.change24h) : percent(w.price.div(w.open24h).minus(1).times(100)),
      volume24h: amount(w.snapshot.volume24h),
      high24h: usd(w.high),
      low24h: usd(w.low),
      marketCap: amount(w.price.times(w.snapshot.circulatingSupply)),
      timestamp,
    }));
  }
}

export interface SimulatedCandle {
  bucket: Date;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/**
 * A plausible price path for charts on a fresh install: walks backwards from
 * `endPrice` so the history joins the live feed. Candles of `widthSeconds`
 * covering [fromMs, toMs), oldest first. One backward pass draws each candle
 * whole (its open, wicks and volume), so a candle depends only on the seed,
 * the end price and how far it is from the end, never on where the range
 * starts. The path is not bounded: the statistics shown beside it (24 h
 * high/low, all-time high) are read from the candles it becomes
 * (`CandlesService.extremes`), so they always contain it.
 */
export function simulatedHistory(
  symbol: string,
  endPrice: string,
  fromMs: number,
  toMs: number,
  widthSeconds: number,
  volatility: number,
  seed: number,
): SimulatedCandle[] {
  const snapshot = MARKET_SNAPSHOT[symbol];
  if (!snapshot) return [];
  const random = seededRandom(seed);
  const widthMs = widthSeconds * 1000;
  const first = Math.ceil(fromMs / widthMs) * widthMs;
  const count = Math.max(0, Math.floor((toMs - first) / widthMs));
  const sigma = (STABLECOINS.has(symbol) ? volatility * 0.002 : volatility) * Math.sqrt(widthMs / YEAR_MS);
  const perCandleVolume = (Number(snapshot.volume24h) * widthSeconds) / 86_400;
  // Chart decoration, not money: the walk runs on floats (tens of thousands of
  // candles per boot) and each value becomes a decimal string once. The last
  // close is the given price, exactly; each candle opens at the close before it.
  const out = new Array<SimulatedCandle>(count);
  let close = Number(endPrice);
  for (let i = count - 1; i >= 0; i--) {
    const open = close / Math.exp(sigma * normal(random));
    const high = Math.max(open, close) * (1 + Math.abs(normal(random)) * sigma * 0.5);
    const low = Math.min(open, close) * (1 - Math.min(0.5, Math.abs(normal(random)) * sigma * 0.5));
    out[i] = {
      bucket: new Date(first + i * widthMs),
      open: fixed(open, 8),
      high: fixed(high, 8),
      low: fixed(low, 8),
      close: i === count - 1 ? usd(endPrice) : fixed(close, 8),
      volume: fixed(perCandleVolume * (0.6 + random() * 0.8), 2),
    };
    close = open;
  }
  return out;
}

/**
 * A positive float as a fixed-scale decimal string, by integer rounding
 * (exact below 2^53 scaled units: prices to ~90 million USD at 8 decimals).
 * Only for the synthetic history above, where building a Decimal per value
 * would cost seconds of CPU at every first boot.
 */
function fixed(value: number, scale: number): string {
  const units = Math.round(value * 10 ** scale);
  if (!Number.isSafeInteger(units)) return usd(String(value));
  const digits = String(units).padStart(scale + 1, '0');
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
