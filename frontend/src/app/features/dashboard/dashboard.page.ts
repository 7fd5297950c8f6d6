import { ChangeDetectionStrategy, Component, OnDestroy, OnInit, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { PctPipe, QtyPipe, UsdPipe, trend } from '../../core/ui/format.pipes';
import { DashboardStore } from './dashboard.store';

/** Portfolio totals, P&L and holdings; valued by the server at live prices, refreshed every 15 s. */
@Component({
  selector: 'cv-dashboard-page',
  imports: [RouterLink, MatButtonModule, UsdPipe, PctPipe, QtyPipe],
  providers: [DashboardStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1>Portfolio</h1>
      @if (store.portfolio(); as p) {
        <div class="cards">
          <div class="stat"><div class="label">Total value</div><div class="value">{{ p.totalValue | usd }}</div></div>
          <div class="stat"><div class="label">Cash (USD)</div><div class="value">{{ p.cash | usd }}</div></div>
          <div class="stat"><div class="label">Invested</div><div class="value">{{ p.invested | usd }}</div></div>
          <div class="stat">
            <div class="label">Unrealised P&amp;L</div>
            <div class="value" [class]="trend(p.unrealizedPnl)">{{ p.unrealizedPnl | usd }} <small>{{ p.unrealizedPnlPct | pct }}</small></div>
          </div>
          <div class="stat">
            <div class="label">Realised P&amp;L</div>
            <div class="value" [class]="trend(p.realizedPnl)">{{ p.realizedPnl | usd }}</div>
          </div>
          <div class="stat">
            <div class="label">24 h change</div>
            <div class="value" [class]="trend(p.change24h)">{{ p.change24h | usd }} <small>{{ p.change24hPct | pct }}</small></div>
          </div>
        </div>
        <h2>Holdings</h2>
        @if (p.holdings.length === 0) {
          <p>No holdings yet. <a routerLink="/wallet">Deposit USD</a> then pick a coin in <a routerLink="/markets">Markets</a>.</p>
        } @else {
          <div class="table-wrap">
            <table class="data">
              <thead>
                <tr>
                  <th>Asset</th>
                  <th class="num">Amount</th>
                  <th class="num">Avg cost</th>
                  <th class="num">Price</th>
                  <th class="num">Value</th>
                  <th class="num">P&amp;L</th>
                  <th class="num">Allocation</th>
                </tr>
              </thead>
              <tbody>
                @for (h of p.holdings; track h.symbol + h.source) {
                  <tr>
                    <td>
                      <a [routerLink]="['/coin', h.symbol]">{{ h.name }}</a> <span class="muted">{{ h.symbol }}</span>
                      @if (h.source === 'tracked') { <span class="muted"> (tracked)</span> }
                    </td>
                    <td class="num">{{ h.amount | qty }}</td>
                    <td class="num">{{ h.avgCost | usd: 'price' }}</td>
                    <td class="num">{{ h.currentPrice | usd: 'price' }}</td>
                    <td class="num">{{ h.value | usd }}</td>
                    <td class="num" [class]="'num ' + trend(h.pnl)">{{ h.pnl | usd }} <small>{{ h.pnlPct | pct }}</small></td>
                    <td class="num">{{ h.allocation | pct: false }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
        @if (p.pricesAsOf) { <p class="muted">Prices as of {{ p.pricesAsOf }}</p> }
      } @else {
        <p class="muted">{{ store.loading() ? 'Loading…' : 'Portfolio unavailable.' }}</p>
      }
    </div>
  `,
})
export class DashboardPage implements OnInit, OnDestroy {
  protected readonly store = inject(DashboardStore);
  protected readonly trend = trend;
  private timer: ReturnType<typeof setInterval> | undefined;

  ngOnInit(): void {
    void this.store.load().catch(() => undefined);
    this.timer = setInterval(() => void this.store.load().catch(() => undefined), 15_000);
  }

  ngOnDestroy(): void {
    clearInterval(this.timer);
  }
}
