import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { portfolioPerformance } from '../../api/fn/portfolio/portfolio-performance';
import type { PerformanceDto, PerformanceRange } from '../../api/models';
import { CardTable } from '../../core/ui/card-table';
import { AmountComponent, PctPipe, ValuePipe, WhenPipe, trend } from '../../core/ui/format.pipes';
import { Skeleton } from '../../core/ui/skeleton';
import { PerformanceChart } from './performance-chart';

/** The ranges GET /api/portfolio/performance takes, with their names for screen readers. */
export const PERFORMANCE_RANGES: readonly { key: PerformanceRange; label: string }[] = [
  { key: '1D', label: $localize`1 day` },
  { key: '1W', label: $localize`1 week` },
  { key: '1M', label: $localize`1 month` },
  { key: '3M', label: $localize`3 months` },
  { key: 'YTD', label: $localize`Year to date` },
  { key: '1Y', label: $localize`1 year` },
  { key: 'ALL', label: $localize`Since the first deposit` },
];

/**
 * Performance net of deposits and withdrawals: the value now split into what was there at the start, the money put
 * in (net deposits) and the gain; time-weighted and money-weighted returns; a chart of the value beside the money put
 * in, from the first funding; per-asset P&L and fees. Every figure is the server's (computed from the ledger).
 */
@Component({
  selector: 'cv-performance-page',
  imports: [Skeleton, CardTable, ValuePipe, PctPipe, WhenPipe, AmountComponent, RouterLink, MatButtonToggleModule, PerformanceChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './performance.page.scss',
  template: `
    <div class="page">
      <div class="head">
        <h1 i18n>Performance</h1>
        <mat-button-toggle-group
          [value]="range()"
          (change)="setRange($event.value)"
          aria-label="Performance range"
          i18n-aria-label
          hideSingleSelectionIndicator
        >
          @for (r of ranges; track r.key) {
            <mat-button-toggle [value]="r.key" [aria-label]="r.key + ' (' + r.label + ')'">{{ r.key }}</mat-button-toggle>
          }
        </mat-button-toggle-group>
      </div>

      @if (perf(); as p) {
        @if (p.from) {
          <div class="cards" data-testid="performance-figures">
            <div class="stat"><div i18n class="label">Value now</div><div class="value">{{ p.endValue | value }}</div></div>
            <div class="stat">
              <div i18n class="label">Net deposits</div>
              <div class="value">{{ p.netFlows | value: 'plain' : true }}</div>
            </div>
            <div class="stat">
              <div i18n class="label">Gain</div>
              <div class="value" [class]="trend(p.gain)">{{ p.gain | value: 'plain' : true }}</div>
            </div>
            <div class="stat">
              <div i18n class="label">Time-weighted return</div>
              <div class="value" [class]="trend(p.twr)">{{ p.twr === null ? '—' : (p.twr | pct) }}</div>
            </div>
            <div class="stat">
              <div i18n class="label">Money-weighted return (IRR)</div>
              @if (p.irr === null) {
                <div i18n class="value muted">Not meaningful</div>
              } @else {
                <div class="value" [class]="trend(p.irr)">{{ p.irr | pct }}</div>
                @if (p.irrAnnualised !== null) {
                  <div i18n class="small muted">{{ p.irrAnnualised | pct }} a year</div>
                }
              }
            </div>
          </div>

          <p i18n class="summary" data-testid="performance-summary">
            {{ p.startValue | value }} on {{ p.from | when }}, plus {{ p.netFlows | value }} net deposits ({{ p.inflows | value }} in,
            {{ p.outflows | value }} out), plus a gain of {{ p.gain | value: 'plain' : true }}, makes {{ p.endValue | value }} now. Fees paid:
            {{ p.fees | value }}.
          </p>

          <section class="panel" aria-labelledby="performance-chart-title">
            <h2 i18n id="performance-chart-title">Value and money put in</h2>
            <!-- The charting library loads once the page is idle; the text above carries the same facts. -->
            @defer (on idle) {
              <cv-performance-chart [points]="p.points" [startValue]="p.startValue" [intraday]="range() === '1D' || range() === '1W'" />
            } @placeholder {
              <div class="chart-placeholder"></div>
            }
            <p class="legend small">
              <span class="key value-key" aria-hidden="true"></span><span i18n>Value</span>
              <span class="key money-key" aria-hidden="true"></span><span i18n>Money put in (start value and net deposits)</span>
            </p>
            @if (p.valuation !== 'candles') {
              <p i18n class="muted small">Some past values use current prices: no price history was recorded for their time.</p>
            }
          </section>

          <section aria-labelledby="performance-assets-title">
            <h2 i18n id="performance-assets-title">By asset</h2>
            <div class="table-wrap">
              <table class="data" data-testid="performance-assets">
                <thead>
                  <tr>
                    <th i18n>Asset</th>
                    <th i18n class="num">Quantity</th>
                    <th i18n class="num">Value</th>
                    <th i18n class="num">Cost basis</th>
                    <th i18n class="num">Unrealised</th>
                    <th i18n class="num">Realised</th>
                    <th i18n class="num">Fees</th>
                  </tr>
                </thead>
                <tbody>
                  @for (a of p.assets; track a.symbol + a.source) {
                    <tr>
                      <td>
                        <a [routerLink]="['/coin', a.symbol]">{{ a.name }}</a>
                        @if (a.source === 'tracked') {
                          <span i18n class="badge">tracked</span>
                        }
                      </td>
                      <td class="num"><cv-amount [value]="a.quantity" [asset]="a.symbol" /></td>
                      <td class="num">{{ a.value === null ? '—' : (a.value | value) }}</td>
                      <td class="num">{{ a.costBasis === null ? '—' : (a.costBasis | value) }}</td>
                      <td class="num" [class]="trend(a.unrealised)">{{ a.unrealised === null ? '—' : (a.unrealised | value: 'plain' : true) }}</td>
                      <td class="num" [class]="trend(a.realised)">{{ a.realised | value: 'plain' : true }}</td>
                      <td class="num">{{ a.fees | value }}</td>
                    </tr>
                  } @empty {
                    <tr>
                      <td i18n colspan="7" class="muted">No assets held or traded in this range.</td>
                    </tr>
                  }
                </tbody>
              </table>
            </div>
          </section>

          <p i18n class="muted small explain">
            Deposits and withdrawals are money put in and taken out, not gains. The time-weighted return measures how the
            investments did whatever you deposited when; the money-weighted return (IRR) weighs the money that was in at each
            moment. Per asset at average cost, fees included.
          </p>
        } @else {
          <p i18n class="muted" data-testid="performance-empty">
            Performance starts with your first deposit. <a routerLink="/wallet">Fund your account</a> to see it here.
          </p>
        }
      } @else if (failed()) {
        <p i18n class="muted">Performance unavailable. Try again shortly.</p>
      } @else {
        <cv-skeleton shape="block" [height]="320" />
      }
    </div>
  `,
})
export class PerformancePage implements OnInit {
  private readonly api = inject(Api);
  protected readonly ranges = PERFORMANCE_RANGES;
  protected readonly range = signal<PerformanceRange>('1M');
  protected readonly perf = signal<PerformanceDto | null>(null);
  protected readonly failed = signal(false);
  protected readonly trend = (v: string | null): string => (v === null ? '' : trend(v));
  private seq = 0;

  ngOnInit(): void {
    void this.load();
  }

  protected setRange(range: PerformanceRange): void {
    if (range === this.range()) return;
    this.range.set(range);
    this.perf.set(null);
    void this.load();
  }

  private async load(): Promise<void> {
    const seq = ++this.seq;
    this.failed.set(false);
    try {
      const { performance } = await this.api.invoke(portfolioPerformance, { range: this.range() });
      if (seq === this.seq) this.perf.set(performance);
    } catch {
      if (seq === this.seq) this.failed.set(true);
    }
  }
}
