import { Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { exportTransactionsCsv } from '../../api/fn/transactions/export-transactions-csv';
import { listTransactions } from '../../api/fn/transactions/list-transactions';
import { transactionStats } from '../../api/fn/transactions/transaction-stats';
import type { TransactionDto, TransactionStatsDto, TransactionType } from '../../api/models';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { whenBumped } from '../../core/notifications/when-bumped';
import { filenameFrom, saveFile } from '../../core/ui/save-file';

export interface TransactionFilters {
  type: TransactionType | '';
  asset: string;
  /** Inclusive local dates, `YYYY-MM-DD` (from `<input type="date">`), or ''. */
  from: string;
  to: string;
}

const PAGE = 25;

/** A local calendar date at its first millisecond, or at the first millisecond of the next day. */
function dayStart(date: string, nextDay = false): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y, m - 1, d + (nextDay ? 1 : 0)).getTime();
}

/**
 * The user's ledger entries with their summary. The API filters by type; the
 * asset and date filters apply to the rows loaded so far (`GET
 * /api/transactions` takes no asset or date parameter), and "Load more" pages on.
 */
@Injectable()
export class TransactionsStore {
  private readonly api = inject(Api);

  private readonly rows = signal<TransactionDto[]>([]);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);
  readonly stats = signal<TransactionStatsDto | null>(null);
  readonly filters = signal<TransactionFilters>({ type: '', asset: '', from: '', to: '' });
  readonly exporting = signal(false);

  readonly items = computed(() => {
    const { asset, from, to } = this.filters();
    const after = from ? dayStart(from) : -Infinity;
    const before = to ? dayStart(to, true) : Infinity;
    return this.rows().filter((t) => {
      if (asset && t.asset !== asset) return false;
      const at = new Date(t.createdAt).getTime();
      return at >= after && at < before;
    });
  });
  /** Assets the user has entries in, for the asset filter. */
  readonly assets = computed(() => (this.stats()?.byAsset ?? []).map((a) => a.asset));
  readonly filteredLocally = computed(() => {
    const f = this.filters();
    return !!(f.asset || f.from || f.to);
  });

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
    const typeChanged = filters.type !== this.filters().type;
    this.filters.set(filters);
    if (typeChanged) await this.loadList();
  }

  async loadList(): Promise<void> {
    this.loading.set(true);
    try {
      const res = await this.api.invoke(listTransactions, this.query());
      this.rows.set(res.items);
      this.nextCursor.set(res.nextCursor);
    } finally {
      this.loading.set(false);
    }
  }

  async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor) return;
    this.loading.set(true);
    try {
      const res = await this.api.invoke(listTransactions, { ...this.query(), cursor });
      this.rows.update((rows) => [...rows, ...res.items]);
      this.nextCursor.set(res.nextCursor);
    } finally {
      this.loading.set(false);
    }
  }

  async loadStats(): Promise<void> {
    const res = await this.api.invoke(transactionStats, {});
    this.stats.set(res.stats);
  }

  /** The whole ledger as CSV, fetched through the SDK and saved as a file. */
  async downloadCsv(): Promise<void> {
    this.exporting.set(true);
    try {
      const res = await this.api.invoke$Response(exportTransactionsCsv, {});
      const blob = new Blob([res.body], { type: 'text/csv;charset=utf-8' });
      saveFile(blob, filenameFrom(res.headers.get('Content-Disposition'), 'transactions.csv'));
    } finally {
      this.exporting.set(false);
    }
  }

  private query(): { limit: number; type?: TransactionType } {
    const type = this.filters().type;
    return { limit: PAGE, ...(type ? { type } : {}) };
  }
}
