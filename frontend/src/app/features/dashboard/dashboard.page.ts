import { ChangeDetectionStrategy, Component, OnDestroy, OnInit, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { RouterLink } from '@angular/router';
import type { HoldingDto } from '../../api/models';
import { ApiError } from '../../core/http/api-error';
import { Confirmer } from '../../core/ui/confirm-dialog';
import { AmountComponent, DisplayFormat, PctPipe, UsdPipe, ValuePipe, WhenPipe, trend } from '../../core/ui/format.pipes';
import { AllocationChart } from './allocation-chart';
import { DashboardStore, HISTORY_RANGES, type HistoryRange } from './dashboard.store';
import { decIsZero, decSub } from './decimal';
import { RecentActivity } from './recent-activity';
import { TrackHoldingForm } from './track-holding-form';
import { TrackedLots } from './tracked-lots';
import { ValueHistoryChart } from './value-history-chart';
import { WatchlistCard } from './watchlist-card';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

/** How often the figures are refreshed while the page is open and visible. */
const REFRESH_MS = 15_000;

/**
 * Portfolio totals and P&L, value history, allocation, holdings (account and
 * tracked) and recent activity; valued by the server at live prices.
 */
@Component({
  selector: 'cv-dashboard-page',
  imports: [Skeleton, CardTable, ValuePipe, AmountComponent, 
    RouterLink,
    WhenPipe,
    MatButtonModule,
    MatButtonToggleModule,
    UsdPipe,
    PctPipe,
    AllocationChart,
    RecentActivity,
    TrackHoldingForm,
    TrackedLots,
    ValueHistoryChart,
    WatchlistCard,
  ],
  providers: [DashboardStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './dashboard.page.scss',
  template: `
    <div class="page">
      <h1 i18n>Portfolio</h1>
      @if (store.portfolio(); as p) {
        <div class="cards">
          <div class="stat"><div i18n class="label">Total value</div><div class="value">{{ p.totalValue | value }}</div></div>
          <div class="stat"><div i18n class="label">Cash (USD)</div><div class="value">{{ p.cash | usd }}</div></div>
          <div class="stat"><div i18n class="label">Invested</div><div class="value">{{ p.invested | value }}</div></div>
          <div class="stat">
            <div i18n class="label">Unrealised P&amp;L</div>
            <div class="value" [class]="trend(p.unrealizedPnl)">{{ p.unrealizedPnl | value }} <small>{{ p.unrealizedPnlPct | pct }}</small></div>
          </div>
          <div class="stat">
            <div i18n class="label">Realised P&amp;L</div>
            <div class="value" [class]="trend(p.realizedPnl)">{{ p.realizedPnl | value }}</div>
          </div>
          <div class="stat">
            <div i18n class="label">24 h change</div>
            <div class="value" [class]="trend(p.change24h)">{{ p.change24h | value }} <small>{{ p.change24hPct | pct }}</small></div>
          </div>
        </div>

        <section class="watchlist" aria-labelledby="watchlist-title">
          <cv-watchlist-card />
        </section>

        <div class="charts">
          <section class="panel" aria-labelledby="history-title">
            <div class="panel-head">
              <h2 i18n id="history-title">Value history</h2>
              <mat-button-toggle-group
                [value]="store.range()"
                (change)="setRange($event.value)"
                aria-label="Value history range" i18n-aria-label
                hideSingleSelectionIndicator
              >
                @for (r of ranges; track r.key) {
                  <mat-button-toggle [value]="r.key" [aria-label]="r.key + ' (' + r.label + ')'">{{ r.key }}</mat-button-toggle>
                }
              </mat-button-toggle-group>
            </div>
            @if (store.history(); as h) {
              @if (historySummary(); as s) {
                <!-- The charting library loads once the page is idle; the text below carries the same facts. -->
                @defer (on idle) {
                  <cv-value-history-chart [points]="h.points" [intraday]="store.range() === '1D' || store.range() === '1W'" />
                } @placeholder {
                  <div class="chart-placeholder"></div>
                }
                <p i18n class="summary">Worth {{ s.first.value | value }} on {{ s.first.timestamp | when }} and {{ s.last.value | value }} now, deposits and
                  withdrawals included: <a routerLink="/performance">see your performance</a> for the gain and returns without them.</p>
                @if (h.valuation === 'current') {
                  <p i18n class="muted small">No price history recorded yet: every point is valued at current prices.</p>
                } @else if (h.valuation !== 'candles') {
                  <p i18n class="muted small">Some assets have no price history yet and are valued at current prices.</p>
                }
                @if (store.hasTracked()) { <p i18n class="muted small">History covers your account only, not tracked holdings.</p> }
              } @else {
                <p i18n class="muted">No value history in this range yet.</p>
              }
            } @else {
              @if (store.historyFailed()) {
                <p i18n class="muted">Value history unavailable.</p>
              } @else {
                <cv-skeleton shape="block" [height]="260" />
              }
            }
          </section>

          <section class="panel" aria-labelledby="allocation-title">
            <div class="panel-head"><h2 i18n id="allocation-title">Allocation</h2></div>
            @if (store.allocation().length) {
              <cv-allocation-chart [slices]="store.allocation()" />
            } @else {
              <p i18n class="muted">Nothing to allocate yet.</p>
            }
          </section>
        </div>

        <section aria-labelledby="holdings-title">
          <h2 i18n id="holdings-title">Holdings</h2>
          @if (p.holdings.length === 0) {
            <p i18n>No holdings yet. <a routerLink="/wallet">Deposit USD</a> then pick a coin in <a routerLink="/markets">Markets</a>.</p>
          } @else {
            <div class="table-wrap" tabindex="0" role="region" aria-label="Holdings table" i18n-aria-label>
              <table class="data">
                <thead>
                  <tr>
                    <th i18n scope="col">Asset</th>
                    <th i18n scope="col" class="num">Amount</th>
                    <th i18n scope="col" class="num hide-sm">Avg cost</th>
                    <th i18n scope="col" class="num hide-sm">Price</th>
                    <th i18n scope="col" class="num">Value</th>
                    <th i18n scope="col" class="num">P&amp;L</th>
                    <th i18n scope="col" class="num hide-sm">Allocation</th>
                    <th scope="col"><span i18n class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  @for (h of p.holdings; track h.symbol + h.source) {
                    <tr [class.tracked]="h.source === 'tracked'">
                      <td>
                        <!-- &ngsp;: Angular drops whitespace-only text, and readers need the gaps too. -->
                        <a [routerLink]="['/coin', h.symbol]">{{ h.name }}</a>&ngsp;<span class="muted">{{ h.symbol }}</span>
                        @if (h.source === 'tracked') {&ngsp;<span i18n class="badge" title="Held outside CryptoVault" i18n-title>tracked</span>}
                      </td>
                      <td class="num"><cv-amount [value]="h.amount" [asset]="h.symbol" [bare]="true" /></td>
                      <td class="num hide-sm">{{ h.avgCost | value: 'price' }}</td>
                      <td class="num hide-sm">{{ h.currentPrice | value: 'price' }}</td>
                      <td class="num">{{ h.value | value }}</td>
                      <td [class]="'num ' + trend(h.pnl)">{{ h.pnl | value }} <small>{{ h.pnlPct | pct }}</small></td>
                      <td class="num hide-sm">{{ h.allocation | pct: false }}</td>
                      <td class="actions">
                        @if (h.source === 'tracked') {
                          <button i18n mat-button type="button" [disabled]="removing()" (click)="untrack(h)" [attr.aria-label]="removeLabel(h)">Remove</button>
                        }
                      </td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          }
          @if (removeMessage(); as m) { <p [class.error-text]="m.error" [attr.role]="m.error ? 'alert' : 'status'">{{ m.text }}</p> }
          @if (p.pricesAsOf) { <p i18n class="muted small">Prices as of {{ p.pricesAsOf | when: 'datetime-seconds' }}</p> }
          <cv-tracked-lots />
          <cv-track-holding-form />
        </section>

        <section aria-labelledby="activity-title">
          <h2 i18n id="activity-title">Recent activity</h2>
          <cv-recent-activity [items]="store.activity()" [failed]="store.activityFailed()" />
        </section>
      } @else {
        @if (store.loading()) {
          <cv-skeleton shape="stats" [count]="6" />
        } @else {
          <p i18n class="muted">Portfolio unavailable.</p>
        }
      }
    </div>
  `,
})
export class DashboardPage implements OnInit, OnDestroy {
  protected readonly store = inject(DashboardStore);
  private readonly confirmer = inject(Confirmer);
  private readonly format = inject(DisplayFormat);
  protected readonly trend = trend;
  // Not a bare `= HISTORY_RANGES`: Vite's SSR transform (the unit tests) turns an imported identifier used as a class
  // field's whole value into a snapshot taken when the class is defined, which is undefined when the specs share a chunk.
  protected readonly ranges = HISTORY_RANGES.slice();
  protected readonly removing = signal(false);
  protected readonly removeMessage = signal<{ text: string; error: boolean } | null>(null);
  private timer: ReturnType<typeof setInterval> | undefined;

  /** First and last point of the range and the change between them; null when the account was empty throughout. */
  protected readonly historySummary = computed(() => {
    const points = this.store.history()?.points ?? [];
    const first = points[0];
    const last = points.at(-1);
    if (!first || !last || points.every((p) => decIsZero(p.value))) return null;
    return { first, last, change: decSub(last.value, first.value) };
  });

  ngOnInit(): void {
    void this.store.load();
    // None while the tab is hidden; the store keeps to one at a time and fetches history and activity only when needed.
    this.timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') void this.store.refresh();
    }, REFRESH_MS);
  }

  ngOnDestroy(): void {
    clearInterval(this.timer);
  }

  protected setRange(range: HistoryRange): void {
    void this.store.setRange(range);
  }

  protected removeLabel(h: HoldingDto): string {
    return $localize`Remove tracked ${h.symbol}:symbol:`;
  }

  protected async untrack(h: HoldingDto): Promise<void> {
    const quantity = this.format.quantity(h.amount, h.symbol);
    const ok = await this.confirmer.ask({
      title: $localize`Stop tracking ${h.symbol}:symbol:?`,
      message: $localize`The ${quantity}:quantity: you hold outside CryptoVault will no longer be valued here. Nothing is sold or moved.`,
      confirm: $localize`Stop tracking`,
      dismiss: $localize`Keep`,
    });
    if (!ok) return;
    this.removing.set(true);
    try {
      await this.store.untrack(h.symbol);
      this.removeMessage.set({ text: $localize`Stopped tracking ${h.symbol}:symbol:.`, error: false });
    } catch (err) {
      this.removeMessage.set({ text: ApiError.from(err).message, error: true });
    } finally {
      this.removing.set(false);
    }
  }
}
