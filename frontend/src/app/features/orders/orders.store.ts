import { Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { cancelOrder } from '../../api/fn/orders/cancel-order';
import { listOrders } from '../../api/fn/orders/list-orders';
import type { OrderDto, OrderSide, OrderStatus } from '../../api/models';
import { CursorPages } from '../../core/data/cursor-pages';
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

  private readonly openPages = new CursorPages<OrderDto>((cursor) =>
    this.api.invoke(listOrders, { status: 'open', limit: OPEN_PAGE, cursor }),
  );
  readonly open = this.openPages.items;
  readonly openCursor = this.openPages.nextCursor;
  readonly openLoading = this.openPages.loading;

  private readonly historyPages = new CursorPages<OrderDto, ReturnType<OrdersStore['historyQuery']>>((cursor, query) =>
    this.api.invoke(listOrders, { ...query, cursor }),
  );
  private readonly historyRows = this.historyPages.items;
  readonly historyCursor = this.historyPages.nextCursor;
  readonly historyLoading = this.historyPages.loading;
  readonly filters = signal<HistoryFilters>({ symbol: '', status: '', side: '' });

  /** Closed orders only (a page without a status filter also holds open ones). */
  readonly history = computed(() => this.historyRows().filter((o) => o.status !== 'open'));

  constructor() {
    whenBumped(
      inject(UserEventsStore).ordersChanged,
      () => void this.refresh().catch(() => undefined),
    );
  }

  async refresh(): Promise<void> {
    await Promise.all([this.loadOpen(), this.loadHistory()]);
  }

  loadOpen(): Promise<void> {
    return this.openPages.reload();
  }

  moreOpen(): Promise<void> {
    return this.openPages.more();
  }

  async setFilters(filters: HistoryFilters): Promise<void> {
    const before = this.filters();
    this.filters.set(filters);
    if (
      before.symbol !== filters.symbol ||
      before.status !== filters.status ||
      before.side !== filters.side
    )
      await this.loadHistory();
  }

  loadHistory(): Promise<void> {
    return this.historyPages.reload(this.historyQuery());
  }

  moreHistory(): Promise<void> {
    return this.historyPages.more();
  }

  /** Cancels a resting order (its reservation is released), then reloads both lists. */
  async cancel(id: string): Promise<OrderDto> {
    const res = await this.api.invoke(cancelOrder, { id });
    await this.refresh();
    return res.order;
  }

  private historyQuery(): {
    limit: number;
    status?: OrderStatus;
    symbol?: string;
    side?: OrderSide;
  } {
    const { symbol, status, side } = this.filters();
    return {
      limit: HISTORY_PAGE,
      ...(status ? { status } : {}),
      ...(symbol ? { symbol } : {}),
      ...(side ? { side } : {}),
    };
  }
}
