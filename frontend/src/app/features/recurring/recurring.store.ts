import { Injectable, effect, inject, signal, untracked } from '@angular/core';
import { Api } from '../../api/api';
import { createRecurringBuy } from '../../api/fn/recurring-buys/create-recurring-buy';
import { deleteRecurringBuy } from '../../api/fn/recurring-buys/delete-recurring-buy';
import { listRecurringBuyRuns } from '../../api/fn/recurring-buys/list-recurring-buy-runs';
import { listRecurringBuys } from '../../api/fn/recurring-buys/list-recurring-buys';
import { pauseRecurringBuy } from '../../api/fn/recurring-buys/pause-recurring-buy';
import { resumeRecurringBuy } from '../../api/fn/recurring-buys/resume-recurring-buy';
import type { CreateRecurringBuyDto, RecurringBuyDto, RecurringBuyRunDto } from '../../api/models';
import { CursorPages } from '../../core/data/cursor-pages';
import { silentErrors } from '../../core/http/http-context';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { whenBumped } from '../../core/notifications/when-bumped';

const PAGE = 50;
const RUNS_PAGE = 20;

/**
 * The user's recurring buys and the run history of the one they look at. Refreshes when /ws/user reports a run
 * (a filled buy is an `order_filled`, a skipped or failed one a notification of kind `recurring_buy_*`).
 */
@Injectable()
export class RecurringBuysStore {
  private readonly api = inject(Api);
  private readonly pages = new CursorPages<RecurringBuyDto>((cursor) => this.api.invoke(listRecurringBuys, { limit: PAGE, cursor }));
  readonly items = this.pages.items;
  readonly nextCursor = this.pages.nextCursor;
  readonly loading = this.pages.loading;

  /** The recurring buy whose history is shown, and its runs. */
  readonly selected = signal<RecurringBuyDto | null>(null);
  private runPages: CursorPages<RecurringBuyRunDto> | null = null;
  readonly runs = signal<RecurringBuyRunDto[]>([]);
  readonly runsCursor = signal<string | null>(null);
  readonly runsLoading = signal(false);

  constructor() {
    const events = inject(UserEventsStore);
    whenBumped(events.ordersChanged, () => this.refresh());
    effect(() => {
      const kind = events.lastEvent()?.data['kind'];
      if (typeof kind === 'string' && kind.startsWith('recurring_buy_')) untracked(() => this.refresh());
    });
  }

  load(): Promise<void> {
    return this.pages.reload();
  }

  loadMore(): Promise<void> {
    return this.pages.more();
  }

  /** One schedule per submit: the key makes a retried request (a lost answer) return the first one. Rejects with an ApiError; no snackbar. */
  async create(body: CreateRecurringBuyDto, idempotencyKey: string): Promise<RecurringBuyDto> {
    const { recurringBuy } = await this.api.invoke(createRecurringBuy, { 'Idempotency-Key': idempotencyKey, body }, silentErrors());
    this.pages.patch((items) => [recurringBuy, ...items.filter((s) => s.id !== recurringBuy.id)]);
    return recurringBuy;
  }

  /** Errors go to the snackbar (e.g. too many active ones on resume). */
  async pause(id: string): Promise<RecurringBuyDto> {
    return this.replace((await this.api.invoke(pauseRecurringBuy, { id })).recurringBuy);
  }

  async resume(id: string): Promise<RecurringBuyDto> {
    return this.replace((await this.api.invoke(resumeRecurringBuy, { id })).recurringBuy);
  }

  async remove(id: string): Promise<void> {
    await this.api.invoke(deleteRecurringBuy, { id });
    this.pages.patch((items) => items.filter((s) => s.id !== id));
    if (this.selected()?.id === id) this.showHistory(null);
  }

  /** Shows the runs of `s` (null: none). */
  showHistory(s: RecurringBuyDto | null): Promise<void> {
    this.selected.set(s);
    this.runs.set([]);
    this.runsCursor.set(null);
    if (!s) {
      this.runPages = null;
      return Promise.resolve();
    }
    const pages = new CursorPages<RecurringBuyRunDto>((cursor) => this.api.invoke(listRecurringBuyRuns, { id: s.id, limit: RUNS_PAGE, cursor }));
    this.runPages = pages;
    return this.readRuns(pages, () => pages.reload());
  }

  moreRuns(): Promise<void> {
    const pages = this.runPages;
    return pages ? this.readRuns(pages, () => pages.more()) : Promise.resolve();
  }

  private async readRuns(pages: CursorPages<RecurringBuyRunDto>, read: () => Promise<void>): Promise<void> {
    this.runsLoading.set(true);
    try {
      await read();
    } finally {
      // A history asked for later replaced this one: leave it be.
      if (this.runPages === pages) {
        this.runs.set(pages.items());
        this.runsCursor.set(pages.nextCursor());
        this.runsLoading.set(false);
      }
    }
  }

  private refresh(): void {
    void this.load().catch(() => undefined);
    const s = this.selected();
    if (s) void this.showHistory(this.items().find((i) => i.id === s.id) ?? s).catch(() => undefined);
  }

  private replace(s: RecurringBuyDto): RecurringBuyDto {
    this.pages.patch((items) => items.map((i) => (i.id === s.id ? s : i)));
    if (this.selected()?.id === s.id) this.selected.set(s);
    return s;
  }
}
