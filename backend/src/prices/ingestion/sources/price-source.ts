import type { CatalogueAsset } from '../../quotes/asset-catalogue.service';
import type { PriceSourceName } from '../../../config/app-config';
import { dec, toFixedString, type Dec } from '../../../common/money/decimal';

/** What a source observed for one asset. Money and percentages are decimal strings. */
export interface SourceQuote {
  symbol: string;
  price: string;
  change24h: string;
  volume24h: string | null;
  high24h: string | null;
  low24h: string | null;
  marketCap: string | null;
  timestamp: Date;
}

/** How a source reports to the aggregator. */
export interface SourceSink {
  quotes(batch: SourceQuote[]): void;
  /** A recoverable error (bad frame, HTTP 5xx/429): counts toward the breaker. */
  error(message: string): void;
  /** The connection is gone (socket closed, request hung): the source is failed until it delivers again. */
  down(message: string): void;
}

/** A provider of market data (ARCHITECTURE §4). Each source reconnects and backs off by itself. */
export interface PriceSource {
  readonly name: PriceSourceName;
  /** With no data for this long the source counts as failed. */
  readonly silenceMs: number;
  start(sink: SourceSink): void;
  stop(): Promise<void>;
}

/** One asset as the sources need it. */
/** What a source needs to know of a catalogue asset: its ids at each provider. */
export type SourceAsset = Pick<CatalogueAsset, 'symbol' | 'coingeckoId' | 'coincapId' | 'binanceSymbol'>;

/** USD prices carry 8 decimals (ARCHITECTURE §3). Accepts provider numbers or strings. */
export function usd(value: string | number | Dec): string {
  return toFixedString(dec(value), 8);
}

export function percent(value: string | number | Dec): string {
  return toFixedString(dec(value), 4);
}

export function amount(value: string | number | Dec): string {
  return toFixedString(dec(value), 2);
}

/** Decimal text or a finite provider number; anything else is a malformed payload. */
export function isNumeric(value: unknown): value is string | number {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value);
}

/** Exponential backoff with jitter, capped. */
export function backoffMs(attempt: number, baseMs = 500, capMs = 30_000): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}
