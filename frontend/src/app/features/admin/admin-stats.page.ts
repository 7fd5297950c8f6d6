import { ChangeDetectionStrategy, Component, OnInit, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { NumPipe, QtyPipe, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import { AdminStore } from './admin.store';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

@Component({
  selector: 'cv-admin-stats-page',
  imports: [Skeleton, CardTable, WhenPipe, RouterLink, MatButtonModule, UsdPipe, QtyPipe, NumPipe],
  providers: [AdminStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (store.stats(); as s) {
      <h2 i18n>Users</h2>
      <div class="cards">
        <div class="stat"><div i18n class="label">Total</div><div class="value">{{ s.users.total | num: 0 }}</div></div>
        <div class="stat"><div i18n class="label">Email verified</div><div class="value">{{ s.users.verified | num: 0 }}</div></div>
        <div class="stat"><div i18n class="label">Active (7 days)</div><div class="value">{{ s.users.active7d | num: 0 }}</div></div>
        <div class="stat"><div i18n class="label">Suspended</div><div class="value">{{ s.users.suspended | num: 0 }}</div></div>
      </div>
      <h2 i18n>Activity</h2>
      <div class="cards">
        <div class="stat"><div i18n class="label">Trades (24 h)</div><div class="value">{{ s.trades.count24h ?? '—' }}</div></div>
        <div class="stat"><div i18n class="label">Volume (24 h)</div><div class="value">{{ s.trades.volume24hUsd | usd }}</div></div>
        <div class="stat"><div i18n class="label">Pending deposits</div><div class="value">{{ s.deposits.pending ?? '—' }}</div></div>
        <div class="stat">
          <div i18n class="label">Pending withdrawals</div>
          <div class="value">{{ s.withdrawals.pending ?? '—' }}</div>
          @if (s.withdrawals.pending) { <a i18n routerLink="../withdrawals">Review withdrawals</a> }
        </div>
      </div>
      <h2 i18n>Platform fee revenue</h2>
      @if (s.feeRevenue?.length) {
        <div class="table-wrap">
          <table class="data fees">
            <thead><tr><th i18n>Asset</th><th i18n class="num">Amount</th></tr></thead>
            <tbody>
              @for (f of s.feeRevenue; track f.asset) {
                <tr><td>{{ f.asset }}</td><td class="num">{{ f.amount | qty: f.asset }}</td></tr>
              }
            </tbody>
          </table>
        </div>
      } @else {
        <p i18n class="muted">No fees collected yet.</p>
      }
      <p i18n class="muted">As of {{ s.generatedAt | when }} · <button mat-button type="button" (click)="reload()">Refresh</button></p>
    } @else {
      <cv-skeleton shape="stats" [count]="4" />
    }
  `,
  styles: `
    .fees {
      max-width: 420px;
    }
  `,
})
export class AdminStatsPage implements OnInit {
  protected readonly store = inject(AdminStore);

  ngOnInit(): void {
    this.reload();
  }

  protected reload(): void {
    void this.store.loadStats().catch(() => undefined);
  }
}
