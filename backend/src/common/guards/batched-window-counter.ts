import type { KeyValueStore } from '../../redis/redis.interfaces';

export interface WindowCount {
  count: number;
  resetInMs: number;
}

interface Entry {
  windowMs: number;
  /** The count the shared store last reported (every instance's hits pushed so far). */
  shared: number;
  /** Hits counted here and not yet pushed to the store. */
  pending: number;
  resetAt: number;
}

/**
 * Fixed-window counters kept in the shared store, with the hits of this
 * process counted in memory and pushed in one `increment(key, window, n)` per
 * key every `flushMs`. The first hit of a key's window goes to the store and
 * waits for it (so a window is always opened there and its reset time is the
 * store's); the hits after it are answered at once from `shared + pending`.
 *
 * Exact within one instance. Across instances a key's count lags by what the
 * others counted in the last flush interval or two (the tolerance, e.g. a
 * client spreading 100 req/s over two instances may see a few tens of
 * requests more than the limit per window with 100 ms flushes); in exchange a
 * request costs a Map lookup instead of a store round trip.
 */
export class BatchedWindowCounter {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly kv: KeyValueStore,
    private readonly flushMs: number,
    private readonly onFlushError: (e: Error) => void,
  ) {}

  /** Counts one hit: synchronously when the key's window is known here, else after the store answered. */
  hit(key: string, windowMs: number): WindowCount | Promise<WindowCount> {
    const now = Date.now();
    const e = this.entries.get(key);
    if (e && now < e.resetAt) {
      e.pending++;
      this.schedule();
      return { count: e.shared + e.pending, resetInMs: e.resetAt - now };
    }
    return this.kv.increment(key, windowMs, 1).then(({ count, resetInMs }) => {
      const at = Date.now();
      const current = this.entries.get(key);
      if (current && at < current.resetAt) {
        // Another first hit of this window answered meanwhile: keep the larger shared count.
        current.shared = Math.max(current.shared, count);
        return { count: current.shared + current.pending, resetInMs: current.resetAt - at };
      }
      this.entries.set(key, { windowMs, shared: count, pending: 0, resetAt: at + resetInMs });
      return { count, resetInMs };
    });
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.flushMs);
    this.timer.unref();
  }

  /** Pushes the pending hits of every key and forgets the windows that have ended. */
  flush(): void {
    const now = Date.now();
    for (const [key, e] of this.entries) {
      if (now >= e.resetAt) {
        this.entries.delete(key);
        continue;
      }
      if (e.pending === 0) continue;
      const n = e.pending;
      e.pending = 0;
      this.kv.increment(key, e.windowMs, n).then(
        ({ count, resetInMs }) => {
          if (this.entries.get(key) !== e) return;
          e.shared = count;
          e.resetAt = Date.now() + resetInMs;
        },
        (err: Error) => this.onFlushError(err),
      );
    }
  }
}
