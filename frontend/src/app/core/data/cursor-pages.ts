import { computed, signal } from '@angular/core';

/** One page of a cursor-paginated list, as the API's list endpoints answer. */
export interface CursorPage<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * A list read page by page with the API's opaque cursor ("Load more"): the
 * rows so far, the cursor of the next page (null at the end) and a loading
 * flag. `fetch` asks for the page after `cursor` (the first page when it is
 * undefined) with whatever filters the caller holds at that moment.
 *
 * Only the list asked for last is shown: a reload (new filters) drops the
 * answers of every earlier reload and "Load more" still on their way, so rows
 * of old filters never come back after the new ones; a second "Load more"
 * while one is on its way waits for that one instead of asking twice.
 */
export class CursorPages<T> {
  readonly items = signal<T[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);
  /** Whether a first page has come (an empty list then means "none"). */
  readonly loaded = signal(false);
  /** The rows, or null until the first page came: for pages that tell "loading" from "none yet". */
  readonly list = computed(() => (this.loaded() ? this.items() : null));

  /** Bumped by every reload: answers of an older generation are dropped. */
  private generation = 0;
  /** Requests of the current generation still on their way. */
  private inFlight = 0;
  /** The "Load more" on its way, and for which cursor. */
  private pendingMore: { cursor: string; done: Promise<void> } | null = null;

  /**
   * @param key when given, a row of a next page already in the list (put there by an action or a push since) is not
   * appended twice
   */
  constructor(
    private readonly fetch: (cursor: string | undefined) => Promise<CursorPage<T>>,
    private readonly key?: (row: T) => string,
  ) {}

  /** Starts again from the first page (new filters, or something changed). */
  reload(): Promise<void> {
    this.generation++;
    this.inFlight = 0;
    this.pendingMore = null;
    return this.load(undefined);
  }

  /** Appends the next page; nothing when the list is complete. */
  async more(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor) return;
    if (this.pendingMore?.cursor === cursor) return this.pendingMore.done;
    const done = this.load(cursor);
    this.pendingMore = { cursor, done };
    try {
      await done;
    } finally {
      if (this.pendingMore?.done === done) this.pendingMore = null;
    }
  }

  private async load(cursor: string | undefined): Promise<void> {
    const generation = this.generation;
    this.inFlight++;
    this.loading.set(true);
    try {
      const res = await this.fetch(cursor);
      if (generation !== this.generation) return;
      this.items.update((rows) => (cursor ? [...rows, ...this.unseen(rows, res.items)] : res.items));
      this.nextCursor.set(res.nextCursor ?? null);
      this.loaded.set(true);
    } finally {
      if (generation === this.generation && --this.inFlight === 0) this.loading.set(false);
    }
  }

  private unseen(rows: T[], next: T[]): T[] {
    const key = this.key;
    if (!key) return next;
    const known = new Set(rows.map(key));
    return next.filter((row) => !known.has(key(row)));
  }
}
