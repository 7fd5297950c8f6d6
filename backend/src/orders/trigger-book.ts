import { Dec } from '../common/money/decimal';

export interface RestingOrder {
  id: string;
  symbol: string;
  /** Fires when the price is at or below (`at-or-below`) or at or above (`at-or-above`) the trigger. */
  direction: 'at-or-below' | 'at-or-above';
  trigger: Dec;
}

interface SymbolBook {
  /** at-or-below orders, highest trigger first: the ones a falling price reaches first. */
  below: RestingOrder[];
  /** at-or-above orders, lowest trigger first. */
  above: RestingOrder[];
}

/**
 * Resting limit and stop orders indexed by trigger price per symbol, in two
 * sorted arrays, so a tick costs a binary search plus the orders it crosses,
 * never a scan of every resting order.
 */
export class TriggerBook {
  private readonly books = new Map<string, SymbolBook>();
  private readonly byId = new Map<string, RestingOrder>();

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  add(order: RestingOrder): void {
    if (this.byId.has(order.id)) this.remove(order.id);
    const book = this.bookFor(order.symbol);
    const list = order.direction === 'at-or-below' ? book.below : book.above;
    list.splice(this.insertionIndex(list, order), 0, order);
    this.byId.set(order.id, order);
  }

  remove(id: string): boolean {
    const order = this.byId.get(id);
    if (!order) return false;
    this.byId.delete(id);
    const book = this.books.get(order.symbol)!;
    const list = order.direction === 'at-or-below' ? book.below : book.above;
    // Start at the first entry with this trigger and walk the run of equal triggers.
    for (let i = this.insertionIndex(list, order, true); i < list.length && list[i].trigger.eq(order.trigger); i++) {
      if (list[i].id === id) {
        list.splice(i, 1);
        break;
      }
    }
    return true;
  }

  /** Orders a tick at `price` crosses, in the order they became eligible (best trigger first). */
  crossed(symbol: string, price: Dec): RestingOrder[] {
    const book = this.books.get(symbol);
    if (!book) return [];
    const out: RestingOrder[] = [];
    for (const o of book.below) {
      if (price.gt(o.trigger)) break;
      out.push(o);
    }
    for (const o of book.above) {
      if (price.lt(o.trigger)) break;
      out.push(o);
    }
    return out;
  }

  clear(): void {
    this.books.clear();
    this.byId.clear();
  }

  private bookFor(symbol: string): SymbolBook {
    let book = this.books.get(symbol);
    if (!book) {
      book = { below: [], above: [] };
      this.books.set(symbol, book);
    }
    return book;
  }

  /**
   * Binary search in a list sorted descending (`below`) or ascending (`above`).
   * `first`: the first index with an equal trigger; otherwise after the equal run (FIFO among equals).
   */
  private insertionIndex(list: RestingOrder[], order: RestingOrder, first = false): number {
    const desc = order.direction === 'at-or-below';
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = list[mid].trigger.cmp(order.trigger) * (desc ? -1 : 1);
      if (c < 0 || (!first && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
