import { Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { getPortfolio } from '../../api/fn/portfolio/get-portfolio';
import { listTrackedLots } from '../../api/fn/portfolio/list-tracked-lots';
import { moveTrackedLot } from '../../api/fn/portfolio/move-tracked-lot';
import { portfolioHistory } from '../../api/fn/portfolio/portfolio-history';
import { trackHolding } from '../../api/fn/portfolio/track-holding';
import { untrackHolding } from '../../api/fn/portfolio/untrack-holding';
import { listTransactions } from '../../api/fn/transactions/list-transactions';
import type { HoldingDto, PortfolioDto, PortfolioHistoryDto, TrackedLotDto, TrackHoldingDto, TransactionDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';
import { decCmp, decIsZero, decSub, decSum } from './decimal';

/** The value-history ranges the API accepts (`days` is 1–365). */
export const HISTORY_RANGES = [
  { key: '1D', days: 1, label: $localize`1 day` },
  { key: '1W', days: 7, label: $localize`1 week` },
  { key: '1M', days: 30, label: $localize`1 month` },
  { key: '3M', days: 90, label: $localize`3 months` },
  { key: '1Y', days: 365, label: $localize`1 year` },
] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number]['key'];

/** Periodic ticks without a change of cash or holdings before activity and history are fetched again anyway. */
export const SLOW_REFRESH_EVERY = 4;
/** How many transactions "Recent activity" shows. */
export const RECENT_ACTIVITY_LIMIT = 8;
/** Slices the allocation chart draws before folding the rest into "Other". */
export const ALLOCATION_MAX_SLICES = 6;

export interface AllocationSlice {
  key: string;
  label: string;
  /** Percent of the total value, a decimal string from the server (cash and "Other": exact sums of them). */
  percent: string;
  /** USD, decimal string. */
  value: string;
}

/** What the user holds, prices aside: changes with trades, deposits, withdrawals and tracking. */
function holdingsSignature(p: PortfolioDto | null): string | null {
  return p ? [p.cash, ...p.holdings.map((h) => `${h.symbol}:${h.source}:${h.amount}`).sort()].join('|') : null;
}

function sliceLabel(h: HoldingDto): string {
  return h.source === 'tracked' ? $localize`${h.symbol}:symbol: (tracked)` : h.symbol;
}

/**
 * The dashboard's state: the valued portfolio, its value history for the chosen
 * range, the latest transactions, and tracking of outside holdings.
 */
@Injectable()
export class DashboardStore {
  private readonly api = inject(Api);

  readonly portfolio = signal<PortfolioDto | null>(null);
  readonly loading = signal(false);

  readonly range = signal<HistoryRange>('1M');
  readonly history = signal<PortfolioHistoryDto | null>(null);
  readonly historyLoading = signal(false);
  readonly historyFailed = signal(false);

  readonly activity = signal<TransactionDto[] | null>(null);
  readonly activityFailed = signal(false);

  /** The dated lots of the tracked holdings (each addition), oldest first; null until read. */
  readonly trackedLots = signal<TrackedLotDto[] | null>(null);

  private refreshing = false;
  private historySeq = 0;
  private portfolioSeq = 0;
  /** Cash and holdings as last seen, to tell a change of the user's data from a change of prices. */
  private seen: string | null = null;
  private quietTicks = 0;

  /** Allocation per asset and cash, largest first; empty while nothing is worth anything. */
  readonly allocation = computed<AllocationSlice[]>(() => {
    const p = this.portfolio();
    if (!p || decCmp(p.totalValue, '0') <= 0) return [];
    const held = p.holdings
      .filter((h) => !decIsZero(h.value))
      .map((h) => ({ key: `${h.symbol}:${h.source}`, label: sliceLabel(h), percent: h.allocation, value: h.value }));
    const slices = [...held];
    if (!decIsZero(p.cash)) {
      // The server gives each holding's share; cash holds the rest of 100 %.
      const rest = decSub('100', decSum(held.map((h) => h.percent)));
      slices.push({ key: 'cash', label: $localize`Cash (USD)`, percent: decCmp(rest, '0') < 0 ? '0.00' : rest, value: p.cash });
    }
    slices.sort((a, b) => decCmp(b.value, a.value));
    if (slices.length <= ALLOCATION_MAX_SLICES + 1) return slices;
    const shown = slices.slice(0, ALLOCATION_MAX_SLICES);
    const other = slices.slice(ALLOCATION_MAX_SLICES);
    shown.push({
      key: 'other',
      label: $localize`Other (${other.length}:count: assets)`,
      percent: decSum(other.map((s) => s.percent)),
      value: decSum(other.map((s) => s.value)),
    });
    return shown;
  });

  readonly hasTracked = computed(() => this.portfolio()?.holdings.some((h) => h.source === 'tracked') ?? false);

  /** Everything the page shows, as on opening it. */
  async load(): Promise<void> {
    await this.exclusive(async () => {
      await Promise.all([this.loadPortfolio().then(() => this.loadTrackedLotsIfAny()), this.loadHistory(), this.loadActivity()]);
      this.seen = holdingsSignature(this.portfolio());
    });
  }

  /**
   * One tick of the page's periodic refresh, without error snackbars: the
   * portfolio (live prices) every time; the activity and the history when cash
   * or holdings changed (a trade, a deposit, another tab), else every
   * {@link SLOW_REFRESH_EVERY}th tick. A tick that finds the last one still
   * running does nothing, so a slow server never piles up requests.
   */
  async refresh(): Promise<void> {
    await this.exclusive(async () => {
      await this.loadPortfolio(true);
      const signature = holdingsSignature(this.portfolio());
      const changed = signature !== this.seen;
      this.seen = signature;
      if (changed || ++this.quietTicks >= SLOW_REFRESH_EVERY) {
        this.quietTicks = 0;
        await Promise.all([this.loadHistory(true), this.loadActivity(true), changed ? this.loadTrackedLotsIfAny() : undefined]);
      }
    });
  }

  private async exclusive(work: () => Promise<void>): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      await work();
    } finally {
      this.refreshing = false;
    }
  }

  async loadPortfolio(background = false): Promise<void> {
    // The read asked last wins: a periodic refresh asked before a tracking change does not undo it when it answers later.
    const seq = ++this.portfolioSeq;
    this.loading.set(true);
    try {
      const res = await this.api.invoke(getPortfolio, {}, background ? silentErrors() : undefined);
      if (seq === this.portfolioSeq) this.portfolio.set(res.portfolio);
    } catch {
      // Keep the last good figures on a failed refresh; the first failure leaves "Portfolio unavailable".
    } finally {
      if (seq === this.portfolioSeq) this.loading.set(false);
    }
  }

  async setRange(range: HistoryRange): Promise<void> {
    if (range === this.range()) return;
    this.range.set(range);
    this.history.set(null);
    await this.loadHistory(false);
  }

  async loadHistory(background = false): Promise<void> {
    const seq = ++this.historySeq;
    const days = HISTORY_RANGES.find((r) => r.key === this.range())!.days;
    this.historyLoading.set(true);
    try {
      const res = await this.api.invoke(portfolioHistory, { days }, background ? silentErrors() : undefined);
      // A later range switch wins over an older answer.
      if (seq !== this.historySeq) return;
      this.history.set(res);
      this.historyFailed.set(false);
    } catch {
      if (seq === this.historySeq && !this.history()) this.historyFailed.set(true);
    } finally {
      if (seq === this.historySeq) this.historyLoading.set(false);
    }
  }

  async loadActivity(background = false): Promise<void> {
    try {
      const res = await this.api.invoke(listTransactions, { limit: RECENT_ACTIVITY_LIMIT }, background ? silentErrors() : undefined);
      this.activity.set(res.items);
      this.activityFailed.set(false);
    } catch {
      if (!this.activity()) this.activityFailed.set(true);
    }
  }

  /** Records (or adds to) an outside holding, as a lot dated `acquiredAt` (now without); rejects with the ApiError for the form to show. */
  async track(body: TrackHoldingDto): Promise<HoldingDto> {
    const res = await this.api.invoke(trackHolding, { body }, silentErrors());
    await Promise.all([this.loadPortfolio(true), this.loadTrackedLots()]);
    return res.holding;
  }

  /** Stops tracking the outside holding of `symbol` (its lots go with it); rejects with the ApiError (404 when there is none). */
  async untrack(symbol: string): Promise<void> {
    await this.api.invoke(untrackHolding, { symbol }, silentErrors());
    this.trackedLots.update((lots) => lots?.filter((l) => l.symbol !== symbol) ?? null);
    await this.loadPortfolio(true);
  }

  /** The tracked lots, quietly: the list keeps what it had when the read fails. */
  async loadTrackedLots(): Promise<void> {
    try {
      this.trackedLots.set((await this.api.invoke(listTrackedLots, {}, silentErrors())).items);
    } catch {
      // The holdings still show; the dated list waits for the next change.
    }
  }

  private async loadTrackedLotsIfAny(): Promise<void> {
    if (this.hasTracked()) await this.loadTrackedLots();
    else this.trackedLots.set([]);
  }

  /** Dates a tracked lot `acquiredAt` (the performance history counts it from then); rejects with the ApiError for the form to show. */
  async moveLot(id: string, acquiredAt: string): Promise<void> {
    const { lot } = await this.api.invoke(moveTrackedLot, { id, body: { acquiredAt } }, silentErrors());
    this.trackedLots.update((lots) => lots?.map((l) => (l.id === id ? lot : l)) ?? [lot]);
  }
}
