import type { Quote } from '../common/market/market-quotes';
import { dec } from '../common/money/decimal';
import { TriggerBook } from '../orders/trigger-book';

export const ALERT_CONDITIONS = ['above', 'below'] as const;
export type AlertCondition = (typeof ALERT_CONDITIONS)[number];

/** At most this many armed alerts per user (API.md "Alerts"). */
export const MAX_ACTIVE_ALERTS = 20;

/** What the trigger engine needs to know about an armed alert. */
export interface ArmedAlert {
  id: string;
  userId: string;
  symbol: string;
  condition: AlertCondition;
  targetPrice: string;
}

/**
 * Whether a price reaches an alert's target: `above` fires at or above the
 * target, `below` at or below it. A tick that reaches the target fires the
 * alert, whichever side the price came from.
 */
export function reachesTarget(condition: AlertCondition, targetPrice: string, price: string): boolean {
  const c = dec(price).comparedTo(dec(targetPrice));
  return condition === 'above' ? c >= 0 : c <= 0;
}

/** The highest and the lowest quote of a symbol over some ticks. */
export interface QuoteRange {
  high: Quote;
  low: Quote;
}

/**
 * Folds ticks into per-symbol ranges, so ticks that pile up while the engine
 * is busy are evaluated once: `above` alerts against the high, `below` alerts
 * against the low, and a spike that came and went still counts.
 */
export function foldQuotes(ranges: Map<string, QuoteRange>, quotes: Quote[]): void {
  for (const q of quotes) {
    const seen = ranges.get(q.symbol);
    if (!seen) {
      ranges.set(q.symbol, { high: q, low: q });
      continue;
    }
    if (dec(q.price).gt(seen.high.price)) seen.high = q;
    if (dec(q.price).lt(seen.low.price)) seen.low = q;
  }
}

/**
 * The armed alerts of every symbol, sorted by target in the orders module's
 * trigger book, so a tick finds the alerts it fires without scanning the
 * others: for `above`, the targets at or below the price; for `below`, the
 * targets at or above it.
 */
export class ArmedAlertIndex {
  private readonly book = new TriggerBook();
  private readonly byId = new Map<string, ArmedAlert>();

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Arms the alert or moves it to its new symbol, condition or target. */
  upsert(alert: ArmedAlert): void {
    this.book.add({ id: alert.id, symbol: alert.symbol, direction: alert.condition === 'above' ? 'at-or-above' : 'at-or-below', trigger: dec(alert.targetPrice) });
    this.byId.set(alert.id, alert);
  }

  remove(id: string): boolean {
    this.byId.delete(id);
    return this.book.remove(id);
  }

  /** Replaces everything with `alerts` (a reload from the database). */
  replaceAll(alerts: ArmedAlert[]): void {
    this.book.clear();
    this.byId.clear();
    for (const a of alerts) this.upsert(a);
  }

  /** The armed alerts of `symbol` that `price` reaches, nearest target first on each side. */
  reachedBy(symbol: string, price: string): ArmedAlert[] {
    return this.book.crossed(symbol, dec(price)).map((o) => this.byId.get(o.id)!);
  }
}
