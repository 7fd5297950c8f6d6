import { Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { Api } from '../../api/api';
import { addToWatchlist } from '../../api/fn/watchlist/add-to-watchlist';
import { getWatchlist } from '../../api/fn/watchlist/get-watchlist';
import { removeFromWatchlist } from '../../api/fn/watchlist/remove-from-watchlist';
import type { WatchlistDto, WatchlistItemDto } from '../../api/models';
import { SessionStore } from '../auth/session.store';
import { silentErrors } from '../http/http-context';

/**
 * The signed-in user's watchlist (GET/PUT/DELETE /api/watchlist): the starred assets in the order they were starred,
 * shared by the markets page, the dashboard card, the coin page and every star. Loaded on first use while signed in,
 * forgotten on sign-out; a star changes it at once and takes the server's list back (or the list as it was when the
 * server refuses, e.g. a full watchlist).
 */
@Injectable({ providedIn: 'root' })
export class WatchlistStore {
  private readonly api = inject(Api);
  private readonly session = inject(SessionStore);
  private requested = false;
  /** Bumped at sign-out: an answer to a read or a star of the signed-out user is not shown to whoever comes next. */
  private generation = 0;

  readonly items = signal<WatchlistItemDto[]>([]);
  readonly max = signal(50);
  /** The list has been read from the server (since sign-in). */
  readonly loaded = signal(false);
  readonly failed = signal(false);
  /** The starred symbols, in the order they were starred. */
  readonly symbols = computed(() => this.items().map((i) => i.symbol));
  private readonly starred = computed(() => new Set(this.symbols()));
  /** Symbols with a star change on its way to the server. */
  readonly pending = signal<ReadonlySet<string>>(new Set());

  constructor() {
    effect(() => {
      if (this.session.signedIn()) return;
      untracked(() => {
        this.generation++;
        this.requested = false;
        this.items.set([]);
        this.loaded.set(false);
      });
    });
  }

  has(symbol: string): boolean {
    return this.starred().has(symbol.toUpperCase());
  }

  /** Reads the watchlist once per sign-in (`force`: again). Never rejects: `failed` tells. */
  async load(force = false): Promise<void> {
    if (!this.session.signedIn() || (this.requested && !force)) return;
    this.requested = true;
    const generation = this.generation;
    try {
      const list = await this.api.invoke(getWatchlist, {}, silentErrors());
      if (generation !== this.generation) return;
      this.take(list);
      this.failed.set(false);
    } catch {
      if (generation !== this.generation) return;
      this.requested = false;
      this.failed.set(true);
    }
  }

  /** Stars or unstars `symbol`; rejects with the ApiError when the server refuses (the error snackbar has said why). */
  async toggle(symbol: string): Promise<void> {
    const key = symbol.toUpperCase();
    const before = this.items();
    const adding = !this.has(key);
    const generation = this.generation;
    this.pending.update((p) => new Set([...p, key]));
    if (!adding) this.items.set(before.filter((i) => i.symbol !== key));
    try {
      const list = await this.api.invoke(adding ? addToWatchlist : removeFromWatchlist, { symbol: key });
      if (generation === this.generation) this.take(list);
    } catch (err) {
      if (generation === this.generation) this.items.set(before);
      throw err;
    } finally {
      this.pending.update((p) => new Set([...p].filter((s) => s !== key)));
    }
  }

  private take(list: WatchlistDto): void {
    this.items.set(list.items);
    this.max.set(list.max);
    this.loaded.set(true);
  }
}
