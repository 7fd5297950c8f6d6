import { signal } from '@angular/core';

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
 */
export class CursorPages<T> {
  readonly items = signal<T[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);

  constructor(private readonly fetch: (cursor: string | undefined) => Promise<CursorPage<T>>) {}

  /** Starts again from the first page (new filters, or something changed). */
  reload(): Promise<void> {
    return this.load(undefined);
  }

  /** Appends the next page; nothing when the list is complete. */
  async more(): Promise<void> {
    const cursor = this.nextCursor();
    if (cursor) await this.load(cursor);
  }

  private async load(cursor: string | undefined): Promise<void> {
    this.loading.set(true);
    try {
      const res = await this.fetch(cursor);
      this.items.update((rows) => (cursor ? [...rows, ...res.items] : res.items));
      this.nextCursor.set(res.nextCursor ?? null);
    } finally {
      this.loading.set(false);
    }
  }
}
