import type { Trigger } from '../triggers/trigger-book';

export const ALERT_CONDITIONS = ['above', 'below'] as const;
export type AlertCondition = (typeof ALERT_CONDITIONS)[number];

/** At most this many armed alerts per user (API.md "Alerts"). */
export const MAX_ACTIVE_ALERTS = 20;

/**
 * An armed alert in the trigger book: `above` fires when the price is at or
 * above the target (`at-or-above`), `below` when at or under it, whichever
 * side the price came from.
 */
export interface ArmedAlert extends Trigger {
  userId: string;
  condition: AlertCondition;
  targetPrice: string;
}
