import Decimal from 'decimal.js';
import type { Dec } from '../common/money/decimal';

export type TriggerDirection = 'at-or-below' | 'at-or-above';

/** Anything that fires when a symbol's price crosses a level: a resting order, a price alert. */
export interface Trigger {
  id: string;
  symbol: string;
  /** Fires when the price is at or below (`at-or-below`) or at or above (`at-or-above`) the trigger. */
  direction: TriggerDirection;
  trigger: Dec;
}

/** Whether `price` reaches the trigger (equal counts). */
export function reaches(t: Trigger, price: Dec): boolean {
  return t.direction === 'at-or-below' ? price.lte(t.trigger) : price.gte(t.trigger);
}

interface SymbolBook<T extends Trigger> {
  /** at-or-below triggers, highest first: the ones a falling price reaches first. */
  below: T[];
  /** at-or-above triggers, lowest first. */
  above: T[];
}

/**
 * Triggers (resting limit and stop orders, price alerts) indexed by level per
 * symbol, in two sorted arrays, so a tick costs a binary search plus the
 * triggers it crosses, never a scan of every armed one. Holds the registrant's
 * own type `T`, so what a crossing returns is what was armed.
 */
export class TriggerBook<T extends Trigger = Trigger> {
  private readonly books = new Map<string, SymbolBook<T>>();
  private readonly byId = new Map<string, T>();

  /**
   * A book of these triggers, built at once: one sort per side instead of an insertion each (a reload of 10,000),
   * the same order as adding them one by one (FIFO among equal triggers; a repeated id: its last entry).
   */
  static of<T extends Trigger>(triggers: readonly T[]): TriggerBook<T> {
    const book = new TriggerBook<T>();
    const unique = new Map<string, T>();
    for (const t of triggers) {
      unique.delete(t.id);
      unique.set(t.id, t);
    }
    for (const t of unique.values()) {
      book.byId.set(t.id, t);
      const side = book.bookFor(t.symbol);
      (t.direction === 'at-or-below' ? side.below : side.above).push(t);
    }
    for (const side of book.books.values()) {
      // Array.prototype.sort is stable: equal triggers keep their order.
      side.below.sort((a, b) => b.trigger.cmp(a.trigger));
      side.above.sort((a, b) => a.trigger.cmp(b.trigger));
    }
    return book;
  }

  /**
   * What a fresh read of every armed trigger changes in this book, leaving out the ids in `except` (the book's entry
   * for those stands): the triggers to add or to replace (absent here, or here with another field), and the ids to
   * remove (here, not in the read). A repeated id in the read: its last entry. No sort: a reload that finds the book
   * as it was costs a lookup per trigger. With `pause`, awaited every `every` triggers, the work is cut into slices
   * (the event loop serves ticks between them); an entry the book changes meanwhile must then be left out by the
   * caller (the engine drops the ids it marked touched).
   */
  async differences(
    triggers: readonly T[],
    except: ReadonlySet<string> = new Set(),
    pause?: () => Promise<void>,
    every = 1024,
  ): Promise<{ upsert: T[]; remove: string[] }> {
    let n = 0;
    const read = new Map<string, T>();
    for (const t of triggers) {
      if (!except.has(t.id)) read.set(t.id, t);
      if (pause && ++n % every === 0) await pause();
    }
    const upsert: T[] = [];
    for (const t of read.values()) {
      const now = this.byId.get(t.id);
      if (!now || !sameTrigger(now, t)) upsert.push(t);
      if (pause && ++n % every === 0) await pause();
    }
    const remove: string[] = [];
    for (const id of [...this.byId.keys()]) {
      if (!read.has(id) && !except.has(id)) remove.push(id);
      if (pause && ++n % every === 0) await pause();
    }
    return { upsert, remove };
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  add(order: T): void {
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

  /** Triggers a tick at `price` crosses, at-or-below ones then at-or-above ones, each nearest level first. */
  crossed(symbol: string, price: Dec): T[] {
    return [...this.crossedBelow(symbol, price), ...this.crossedAbove(symbol, price)];
  }

  /** The at-or-below triggers `price` reaches (it is at or under their level), highest level first. */
  crossedBelow(symbol: string, price: Dec): T[] {
    const out: T[] = [];
    for (const o of this.books.get(symbol)?.below ?? []) {
      if (price.gt(o.trigger)) break;
      out.push(o);
    }
    return out;
  }

  /** The at-or-above triggers `price` reaches (it is at or over their level), lowest level first. */
  crossedAbove(symbol: string, price: Dec): T[] {
    const out: T[] = [];
    for (const o of this.books.get(symbol)?.above ?? []) {
      if (price.lt(o.trigger)) break;
      out.push(o);
    }
    return out;
  }

  clear(): void {
    this.books.clear();
    this.byId.clear();
  }

  private bookFor(symbol: string): SymbolBook<T> {
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
  private insertionIndex(list: T[], order: Trigger, first = false): number {
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

/** Whether two entries of one trigger are alike in every field (levels compared as decimals, `1.50` = `1.5`). */
function sameTrigger(a: Trigger, b: Trigger): boolean {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) {
    if (!(k in y)) return false;
    const u = x[k];
    const v = y[k];
    if (u === v) continue;
    if (!(Decimal.isDecimal(u) && Decimal.isDecimal(v) && u.eq(v))) return false;
  }
  return true;
}
