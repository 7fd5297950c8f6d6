import type { ErrorDetail } from '../common/errors/app-error';
import { Dec, dec } from '../common/money/decimal';
import { formatUsdPrice } from '../common/money/prose-format';
import { chooseOne } from '../common/decorators/validation-messages';
import type { Trigger } from '../triggers/trigger-book';

/** `price`: fires when the price reaches a target; `move`: fires when the 24 h change reaches a percentage, up or down. */
export const ALERT_KINDS = ['price', 'move'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const PRICE_CONDITIONS = ['above', 'below'] as const;
export const MOVE_CONDITIONS = ['up', 'down'] as const;
/** Every condition: `above`/`below` a target price (price alerts), `up`/`down` by a percentage in 24 h (move alerts). */
export const ALERT_CONDITIONS = [...PRICE_CONDITIONS, ...MOVE_CONDITIONS] as const;
export type AlertCondition = (typeof ALERT_CONDITIONS)[number];

/** At most this many armed alerts per user (API.md "Alerts"). */
export const MAX_ACTIVE_ALERTS = 20;

/** The longest cooldown of a repeating alert: 30 days, in seconds. The shortest is ALERT_MIN_COOLDOWN_SECONDS. */
export const MAX_COOLDOWN_SECONDS = 30 * 86_400;

/**
 * What a move alert stores as its `target_price` (NOT NULL, read by the previous release): the smallest price, with
 * condition `up` or `down`, which that release never fires (migration 1764371350000).
 */
export const MOVE_ALERT_TARGET_PLACEHOLDER = '0.00000001';

/**
 * An armed alert in a trigger book. A price alert's level is its target price (`above`: at or above it, `below`:
 * at or under it); a move alert's level is a 24 h change in percent (`up` 5: at or above +5, `down` 5: at or under
 * -5). `rearmAt` (epoch ms): a repeating alert that fired waits until then.
 */
export interface ArmedAlert extends Trigger {
  userId: string;
  kind: AlertKind;
  condition: AlertCondition;
  rearmAt: number | null;
}

/** The conditions of a kind. */
export function conditionsOf(kind: AlertKind): readonly AlertCondition[] {
  return kind === 'move' ? MOVE_CONDITIONS : PRICE_CONDITIONS;
}

/** What an alert compares with: its target price, or (move alerts) the signed 24 h change in percent. */
export function alertLevel(condition: AlertCondition, targetPrice: string, movePct: string | null): Dec {
  if (condition === 'up') return dec(movePct ?? '0');
  if (condition === 'down') return dec(movePct ?? '0').neg();
  return dec(targetPrice);
}

/** Whether the quote reaches the alert now: the price (price alerts) or the 24 h change (move alerts), equal counts. */
export function alertReached(condition: AlertCondition, level: Dec, price: string, change24h: string): boolean {
  switch (condition) {
    case 'above':
      return dec(price).gte(level);
    case 'below':
      return dec(price).lte(level);
    case 'up':
      return dec(change24h).gte(level);
    case 'down':
      return dec(change24h).lte(level);
  }
}

/** The fields of an alert that depend on its kind, as a request gives them (absent: undefined). */
export interface AlertShape {
  condition?: AlertCondition;
  targetPrice?: string;
  movePct?: string;
}

/**
 * Checks the fields each kind allows (400 with the offending fields, one plain message each): a price alert has a
 * target price and is above or below it; an alert on a 24 h move has a percentage and is up or down by it. (Which
 * fields a new alert needs is the request's validation.)
 */
export function alertShapeProblems(kind: AlertKind, s: AlertShape): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (s.condition !== undefined && !conditionsOf(kind).includes(s.condition)) {
    problems.push({ field: 'condition', message: chooseOne(conditionsOf(kind)) });
  }
  if (kind === 'price' && s.movePct !== undefined) {
    problems.push({ field: 'movePct', message: 'Leave out the move in percent: it is only for alerts on a 24 h move' });
  }
  if (kind === 'move' && s.targetPrice !== undefined) {
    problems.push({ field: 'targetPrice', message: 'Leave out the target price: an alert on a 24 h move has none' });
  }
  return problems;
}

/** "6.20%": a percentage as the client writes it, 2 decimals (half-even), without a sign. */
export function percentWords(v: Dec | string): string {
  return `${dec(v).abs().toFixed(2, Dec.ROUND_HALF_EVEN)}%`;
}

/** "+6.20%", "-3.00%": a 24 h change with its sign (none for zero). */
export function signedPercentWords(v: Dec | string): string {
  const d = dec(v);
  return `${d.isPos() && !d.isZero() ? '+' : d.isNeg() && !d.isZero() ? '-' : ''}${percentWords(d)}`;
}

/**
 * Why creating (or re-arming) the alert at the current quote would fire it at once, in words with the current
 * price or change; null when the quote does not reach it. The API refuses such an alert with 409
 * ALERT_ALREADY_CROSSED unless the request confirms it (`confirmCrossed: true`).
 */
export function alreadyCrossedMessage(
  symbol: string,
  condition: AlertCondition,
  targetPrice: string,
  movePct: string | null,
  quote: { price: string; change24h: string },
): string | null {
  if (!alertReached(condition, alertLevel(condition, targetPrice, movePct), quote.price, quote.change24h)) return null;
  const price = formatUsdPrice(quote.price);
  const target = formatUsdPrice(targetPrice);
  const change = percentWords(quote.change24h);
  const move = percentWords(movePct ?? '0');
  switch (condition) {
    case 'above':
      return `${symbol} already trades at ${price}, at or above ${target}: the alert would fire at once`;
    case 'below':
      return `${symbol} already trades at ${price}, at or below ${target}: the alert would fire at once`;
    case 'up':
      return `${symbol} is already up ${change} in 24 hours (at least ${move}) at ${price}: the alert would fire at once`;
    case 'down':
      return `${symbol} is already down ${change} in 24 hours (at least ${move}) at ${price}: the alert would fire at once`;
  }
}
