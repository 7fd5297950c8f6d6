import type { TriggerDirection } from './trigger-book';

/**
 * A change to a trigger book as told to every instance over PUB_SUB, for
 * registrants whose messages carry the trigger itself (resting orders):
 * armed with its level, or gone. (Alerts send only the id and the
 * registrant re-reads the row.)
 */
export type TriggerBookEvent = { op: 'add'; id: string; symbol: string; direction: TriggerDirection; trigger: string } | { op: 'remove'; id: string };

export function parseTriggerBookEvent(message: string): TriggerBookEvent | undefined {
  try {
    const m = JSON.parse(message) as Partial<TriggerBookEvent> & Record<string, unknown>;
    if (m.op === 'remove' && typeof m.id === 'string') return { op: 'remove', id: m.id };
    if (
      m.op === 'add' &&
      typeof m.id === 'string' &&
      typeof m.symbol === 'string' &&
      (m.direction === 'at-or-below' || m.direction === 'at-or-above') &&
      typeof m.trigger === 'string'
    ) {
      return { op: 'add', id: m.id, symbol: m.symbol, direction: m.direction, trigger: m.trigger };
    }
  } catch {
    /* not ours */
  }
  return undefined;
}
