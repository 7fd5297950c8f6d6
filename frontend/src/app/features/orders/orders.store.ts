import { Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { cancelOrder } from '../../api/fn/orders/cancel-order';
import { listOrders } from '../../api/fn/orders/list-orders';
import type { OrderDto, OrderSide, OrderStatus } from '../../api/models';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { whenBumped } from '../../core/notifications/when-bumped';

export type ClosedStatus = Exclude<OrderStatus, 'open'>;
export interface HistoryFilters {
  symbol: string;
  status: ClosedStatus | '';
  side: OrderSide | '';
}

const OPEN_PAGE = 100;
const HISTORY_PAGE = 20;

/**
 * The user's resting (limit/stop) orders and their order history, filtered
 * by the API (status, symbol and side), so "Load more" pages within the
 * filter. Refreshes when /ws/user reports a fill or a cancellation.
 */
@Injectable()
export class OrdersStore {
  private readonly api = inject(Api);

  readonly open = signal<OrderDto[]>([]);
  readonly openCursor = signal<string | null>(null);
  readonly openLoading = signal(false);

  private readonly historyRows = signal<OrderDto[]>([]);
  readonly historyCursor = signal<string | null>(null);
  readonly historyLoading = signal(false);
  readonly filters = signal<HistoryFilters>({ symbol: '', status: '', side: '' });

  /** Closed orders only (a page without a status filter also holds open ones). */
  readonly history = computed(() => this.historyRows().filter((o) => o.status !== 'open'));

  constructor() {
    whenBumped(inject(UserEventsStore).ordersChanged, () => void this.refresh().catch(() => undefined));
  }

  async refresh(): Promise<void> {
    await Promise.all([this.loadOpen(), this.loadHistory()]);
  }

  async loadOpen(): Promise<void> {
    this.openLoading.set(true);
    try {
      const res = await this.api.invoke(listOrders, { status: 'open', limit: OPEN_PAGE });
      this.open.set(res.items);
      this.openCursor.set(res.nextCursor);
    } finally {
      this.openLoading.set(false);
    }
  }

  async moreOpen(): Promise<void> {
    const cursor = this.openCursor();
    if (!cursor) return;
    const res = await this.api.invoke(listOrders, { status: 'open', limit: OPEN_PAGE, cursor });
    this.open.update((rows) => [...rows, ...res.items]);
    this.openCursor.set(res.nextCursor);
  }

  async setFilters(filters: HistoryFilters): Promise<void> {
    const before = this.filters();
    this.filters.set(filters);
    if (before.symbol !== filters.symbol || before.status !== filters.status || before.side !== filters.side) await this.loadHistory();
  }

  async loadHistory(): Promise<void> {
    this.historyLoading.set(true);
    try {
      const res = await this.api.invoke(listOrders, this.historyQuery());
      this.historyRows.set(res.items);
      this.historyCursor.set(res.nextCursor);
    } finally {
      this.historyLoading.set(false);
    }
  }

  async moreHistory(): Promise<void> {
    const cursor = this.historyCursor();
    if (!cursor) return;
    this.historyLoading.set(true);
    try {
      const res = await this.api.invoke(listOrders, { ...this.historyQuery(), cursor });
      this.historyRows.update((rows) => [...rows, ...res.items]);
      this.historyCursor.set(res.nextCursor);
    } finally {
      this.historyLoading.set(false);
    }
  }

  /** Cancels a resting order (its reservation is released), then reloads both lists. */
  async cancel(id: string): Promise<OrderDto> {
    const res = await this.api.invoke(cancelOrder, { id });
    await this.refresh();
    return res.order;
  }

  private historyQuery(): { limit: number; status?: OrderStatus; symbol?: string; side?: OrderSide } {
    const { symbol, status, side } = this.filters();
    return { limit: HISTORY_PAGE, ...(status ? { status } : {}), ...(symbol ? { symbol } : {}), ...(side ? { side } : {}) };
  }
}
