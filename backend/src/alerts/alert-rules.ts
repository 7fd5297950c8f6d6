import { PriceLevelIndex } from '../common/market/price-level-index';
import { dec } from '../common/money/decimal';

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

/**
 * The armed alerts of every symbol, sorted by target, so a tick finds the
 * alerts it fires without scanning the others: for `above`, the targets at or
 * below the price; for `below`, the targets at or above it.
 */
export class ArmedAlertIndex {
  private readonly bySymbol = new Map<string, Record<AlertCondition, PriceLevelIndex<ArmedAlert>>>();
  private readonly byId = new Map<string, ArmedAlert>();

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Arms the alert or moves it to its new symbol, condition or target. */
  upsert(alert: ArmedAlert): void {
    this.remove(alert.id);
    let sides = this.bySymbol.get(alert.symbol);
    if (!sides) this.bySymbol.set(alert.symbol, (sides = { above: new PriceLevelIndex(), below: new PriceLevelIndex() }));
    sides[alert.condition].upsert(alert.id, alert.targetPrice, alert);
    this.byId.set(alert.id, alert);
  }

  remove(id: string): boolean {
    const alert = this.byId.get(id);
    if (!alert) return false;
    this.bySymbol.get(alert.symbol)?.[alert.condition].remove(id);
    this.byId.delete(id);
    return true;
  }

  /** Replaces everything with `alerts` (a reload from the database). */
  replaceAll(alerts: ArmedAlert[]): void {
    this.bySymbol.clear();
    this.byId.clear();
    for (const a of alerts) this.upsert(a);
  }

  /** The armed alerts of `symbol` that `price` reaches. */
  reachedBy(symbol: string, price: string): ArmedAlert[] {
    const sides = this.bySymbol.get(symbol);
    if (!sides) return [];
    return [...sides.above.atOrBelow(price), ...sides.below.atOrAbove(price)];
  }
}
