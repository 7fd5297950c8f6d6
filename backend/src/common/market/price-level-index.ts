import { Dec, dec } from '../money/decimal';

interface Entry<T> {
  id: string;
  level: Dec;
  value: T;
}

/**
 * Items keyed by a price level, kept sorted (level, then id), for price
 * triggers: "everything at or below this price" and "everything at or above"
 * are a binary search and a slice, whatever the number of items. Levels are
 * decimals, never floats. One index per symbol and direction.
 */
export class PriceLevelIndex<T> {
  private readonly sorted: Entry<T>[] = [];
  private readonly byId = new Map<string, Entry<T>>();

  get size(): number {
    return this.sorted.length;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Adds the item, or moves it to its new level when the id is already there. */
  upsert(id: string, level: string | Dec, value: T): void {
    this.remove(id);
    const entry: Entry<T> = { id, level: dec(level), value };
    this.sorted.splice(this.lowerBound(entry.level, id), 0, entry);
    this.byId.set(id, entry);
  }

  /** Removes the item; false when it was not there. */
  remove(id: string): boolean {
    const entry = this.byId.get(id);
    if (!entry) return false;
    const at = this.lowerBound(entry.level, id);
    this.sorted.splice(at, 1);
    this.byId.delete(id);
    return true;
  }

  /** Items whose level is ≤ `price`, lowest first. */
  atOrBelow(price: string | Dec): T[] {
    const p = dec(price);
    return this.sorted.slice(0, this.upperBoundLevel(p)).map((e) => e.value);
  }

  /** Items whose level is ≥ `price`, lowest first. */
  atOrAbove(price: string | Dec): T[] {
    const p = dec(price);
    return this.sorted.slice(this.lowerBoundLevel(p)).map((e) => e.value);
  }

  values(): T[] {
    return this.sorted.map((e) => e.value);
  }

  clear(): void {
    this.sorted.length = 0;
    this.byId.clear();
  }

  /** First position whose (level, id) is ≥ (level, id). */
  private lowerBound(level: Dec, id: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.sorted[mid];
      const c = e.level.comparedTo(level);
      if (c < 0 || (c === 0 && e.id < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose level is ≥ `level`. */
  private lowerBoundLevel(level: Dec): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid].level.lt(level)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position whose level is > `level`. */
  private upperBoundLevel(level: Dec): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid].level.lte(level)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
