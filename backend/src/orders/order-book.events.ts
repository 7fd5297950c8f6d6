/** Channel on which every instance hears about resting orders created or closed anywhere. */
export const ORDER_BOOK_CHANNEL = 'orders:book';

export type OrderBookEvent =
  | { op: 'add'; id: string; symbol: string; direction: 'at-or-below' | 'at-or-above'; trigger: string }
  | { op: 'remove'; id: string };

export function parseOrderBookEvent(message: string): OrderBookEvent | undefined {
  try {
    const m = JSON.parse(message) as Partial<OrderBookEvent> & Record<string, unknown>;
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
