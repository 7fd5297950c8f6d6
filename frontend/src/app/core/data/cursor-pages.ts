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
 * undefined) for `query` (the filters, a search; `void` for a list without).
 *
 * Only the list asked for last is shown: a reload (new filters) drops the
 * answers of every earlier reload and "Load more" still on their way, so rows
 * of old filters never come back after the new ones, and an overtaken load
 * neither shows nor rejects. "Load more" pages the list on screen with its own
 * query: it does nothing while a reload runs (its cursor belongs to the list
 * being replaced), keeps the old query when a reload failed (the old rows stay),
 * and a second click while one is on its way waits for that one.
 */
export class CursorPages<T, Q = void> {
  readonly items = signal<T[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);
  /** Whether a first page has come (an empty list then means "none"). */
  readonly loaded = signal(false);
  /**
   * The rows, or null while nothing is known (no first page yet, and no row an action put in): for pages that tell
   * "loading" from "none yet".
   */
  readonly list = computed(() => (this.loaded() || this.items().length ? this.items() : null));

  /** Bumped by every reload: answers of an older generation are dropped. */
  private generation = 0;
  /** The current generation's first page is on its way. */
  private reloading = false;
  /** The query last asked for (a reload without one asks it again), and the one of the rows on screen. */
  private asked: Q | undefined;
  private shown: Q | undefined;
  /** The "Load more" on its way, and for which cursor. */
  private pendingMore: { cursor: string; done: Promise<void> } | null = null;

  /**
   * @param key when given, a row of a next page already in the list (put there by an action or a push since) is not
   * appended twice
   */
  constructor(
    private readonly fetch: (cursor: string | undefined, query: Q) => Promise<CursorPage<T>>,
    private readonly key?: (row: T) => string,
  ) {}

  /** Starts again from the first page, for `query` (the last one asked when left out). */
  reload(query: Q = this.asked as Q): Promise<void> {
    this.generation++;
    this.pendingMore = null;
    this.asked = query;
    this.reloading = true;
    return this.load(undefined, query);
  }

  /**
   * Changes the rows on screen after an action the server answered (a row made, changed or gone). A reload on its way
   * was asked before the action and may not have it: it is asked again, so the answer that shows has it.
   */
  patch(update: (rows: T[]) => T[]): void {
    this.items.update(update);
    if (this.reloading) void this.reload().catch(() => undefined);
  }

  /** Appends the next page of the list on screen; nothing when it is complete or being read again. */
  async more(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor || this.reloading) return;
    if (this.pendingMore?.cursor === cursor) return this.pendingMore.done;
    const done = this.load(cursor, this.shown as Q);
    this.pendingMore = { cursor, done };
    try {
      await done;
    } finally {
      if (this.pendingMore?.done === done) this.pendingMore = null;
    }
  }

  private async load(cursor: string | undefined, query: Q): Promise<void> {
    const generation = this.generation;
    const current = (): boolean => generation === this.generation;
    this.loading.set(true);
    try {
      const res = await this.fetch(cursor, query);
      if (!current()) return;
      this.items.update((rows) => (cursor ? [...rows, ...this.unseen(rows, res.items)] : res.items));
      this.nextCursor.set(res.nextCursor ?? null);
      if (!cursor) this.shown = query;
      this.loaded.set(true);
    } catch (e) {
      // An overtaken load's failure is no one's business: the list asked for since is what the page shows.
      if (current()) throw e;
    } finally {
      // One request of a generation at a time: its first page, then one "Load more" after another.
      if (current()) {
        if (!cursor) this.reloading = false;
        this.loading.set(false);
      }
    }
  }

  private unseen(rows: T[], next: T[]): T[] {
    const key = this.key;
    if (!key) return next;
    const known = new Set(rows.map(key));
    return next.filter((row) => !known.has(key(row)));
  }
}
