import { Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { exportTransactionsCsv } from '../../api/fn/transactions/export-transactions-csv';
import { listActivity } from '../../api/fn/transactions/list-activity';
import { transactionStats } from '../../api/fn/transactions/transaction-stats';
import type { ActivityDto, ActivityType, TransactionStatsDto } from '../../api/models';
import { CursorPages } from '../../core/data/cursor-pages';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { whenBumped } from '../../core/notifications/when-bumped';
import { filenameFrom, saveFile } from '../../core/ui/save-file';

export interface TransactionFilters {
  /** The event's type. */
  type: ActivityType | '';
  asset: string;
  /** Inclusive local dates, `YYYY-MM-DD` (from `<input type="date">`), or ''. */
  from: string;
  to: string;
}

const PAGE = 25;

/** A local calendar date (`YYYY-MM-DD`) at its first millisecond, or at the first millisecond of the next day, as an ISO timestamp. */
function dayStart(date: string, nextDay = false): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y, m - 1, d + (nextDay ? 1 : 0)).toISOString();
}

/** The filters as the activity's parameters: `from` inclusive at the start of its day, `to` exclusive at the start of the day after. */
export function transactionParams(f: TransactionFilters): {
  type?: ActivityType;
  asset?: string;
  from?: string;
  to?: string;
} {
  return {
    ...(f.type ? { type: f.type } : {}),
    ...(f.asset ? { asset: f.asset } : {}),
    ...(f.from ? { from: dayStart(f.from) } : {}),
    ...(f.to ? { to: dayStart(f.to, true) } : {}),
  };
}

/**
 * The user's activity (one item per business event, with its ledger lines) and the summary of their ledger entries.
 * Type, asset and dates are filtered by the API (so "Load more" pages within the filters), and the CSV download
 * exports the ledger lines of the same events.
 */
@Injectable()
export class TransactionsStore {
  private readonly api = inject(Api);

  private readonly pages = new CursorPages<ActivityDto, ReturnType<TransactionsStore['query']>>((cursor, query) =>
    this.api.invoke(listActivity, { ...query, cursor }),
  );
  readonly items = this.pages.items;
  readonly nextCursor = this.pages.nextCursor;
  readonly loading = this.pages.loading;
  readonly stats = signal<TransactionStatsDto | null>(null);
  readonly filters = signal<TransactionFilters>({ type: '', asset: '', from: '', to: '' });
  readonly exporting = signal(false);

  /** Assets the user has entries in, for the asset filter. */
  readonly assets = computed(() => (this.stats()?.byAsset ?? []).map((a) => a.asset));

  constructor() {
    const events = inject(UserEventsStore);
    const reload = () => void this.refresh().catch(() => undefined);
    whenBumped(events.ordersChanged, reload);
    whenBumped(events.walletChanged, reload);
  }

  async refresh(): Promise<void> {
    await Promise.all([this.loadList(), this.loadStats()]);
  }

  async setFilters(filters: TransactionFilters): Promise<void> {
    const before = this.filters();
    this.filters.set(filters);
    if (
      (Object.keys(filters) as (keyof TransactionFilters)[]).some((k) => filters[k] !== before[k])
    )
      await this.loadList();
  }

  loadList(): Promise<void> {
    return this.pages.reload(this.query());
  }

  loadMore(): Promise<void> {
    return this.pages.more();
  }

  async loadStats(): Promise<void> {
    const res = await this.api.invoke(transactionStats, {});
    this.stats.set(res.stats);
  }

  /**
   * The ledger lines of the events matching the filters (all of them without) as CSV, fetched through the SDK and saved
   * as a file: the event type is the export's `event`, the asset keeps that asset's lines.
   */
  async downloadCsv(): Promise<void> {
    this.exporting.set(true);
    try {
      const { type, ...rest } = transactionParams(this.filters());
      const res = await this.api.invoke$Response(exportTransactionsCsv, { ...rest, ...(type ? { event: type } : {}) });
      const blob = new Blob([res.body], { type: 'text/csv;charset=utf-8' });
      saveFile(blob, filenameFrom(res.headers.get('Content-Disposition'), 'transactions.csv'));
    } finally {
      this.exporting.set(false);
    }
  }

  private query(): { limit: number } & ReturnType<typeof transactionParams> {
    return { limit: PAGE, ...transactionParams(this.filters()) };
  }
}
