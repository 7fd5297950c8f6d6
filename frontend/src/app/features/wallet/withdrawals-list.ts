import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { AmountComponent, QtyPipe, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import type { WithdrawalDto } from '../../api/models';
import { withdrawalStatusText } from './wallet-labels';
import { WalletStore } from './wallet.store';
import { TxHash } from '../../core/ui/tx-hash';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

/** The user's withdrawals, newest first, with their status; pending ones can be cancelled. */
@Component({
  selector: 'cv-withdrawals-list',
  imports: [Skeleton, CardTable, AmountComponent, WhenPipe, QtyPipe, UsdPipe, MatButtonModule, TxHash],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="bar">
      <button i18n mat-button type="button" (click)="refresh()" [disabled]="busy() === 'refresh'">Refresh withdrawals</button>
    </div>
    @if (store.withdrawals(); as list) {
      <div class="table-wrap">
        <table class="data" data-testid="withdrawals">
          <thead>
            <tr>
              <th i18n>Requested</th><th i18n>Asset</th><th i18n class="num">Amount</th><th i18n class="num">Fee</th><th i18n>Network</th><th i18n>Address</th><th i18n>Status</th>
              <th><span i18n class="visually-hidden">Action</span></th>
            </tr>
          </thead>
          <tbody>
            @for (w of list; track w.id) {
              <tr>
                <td>{{ w.createdAt | when }}</td>
                <td>
                  {{ w.asset }}
                  @if (w.cashOut; as c) {
                    <div i18n class="muted" data-testid="cash-out-line">Cash-out: {{ c.usdAmount | usd }} → {{ w.amount | qty: w.asset }}</div>
                  }
                </td>
                <td class="num"><cv-amount [value]="w.amount" [asset]="w.asset" [bare]="true" /></td>
                <td class="num"><cv-amount [value]="w.fee" [asset]="w.asset" [bare]="true" /></td>
                <td>{{ w.network }}</td>
                <td>
                  @if (w.addressLabel) { <div>{{ w.addressLabel }}</div> }
                  <code class="address">{{ w.address }}</code>
                </td>
                <td>
                  <span class="status" [attr.data-status]="w.status">{{ statusText(w.status) }}</span>
                  @if (w.status === 'pending' && w.requiredApprovals > 1) {
                    <div i18n class="muted">{{ w.approvals }} of {{ w.requiredApprovals }} approvals</div>
                  }
                  @if (w.rejectReason) { <div i18n class="muted">Reason: {{ w.rejectReason }}</div> }
                  @if (w.txHash) { <div i18n class="muted">Tx: <cv-tx-hash [hash]="w.txHash" [url]="w.explorerUrl" /></div> }
                </td>
                <td>
                  @if (w.status === 'pending') {
                    <button i18n="withdrawal action|button that cancels a pending withdrawal" mat-stroked-button type="button" [disabled]="busy() === w.id" [attr.aria-label]="cancelLabel(w)" (click)="cancel(w.id)">
                      Cancel
                    </button>
                  }
                </td>
              </tr>
            } @empty {
              <tr><td i18n colspan="8" class="muted">No withdrawals yet.</td></tr>
            }
          </tbody>
        </table>
      </div>
      @if (store.withdrawalsCursor()) {
        <button i18n mat-button type="button" (click)="more()" [disabled]="busy() === 'more'">Load more withdrawals</button>
      }
    } @else {
      <cv-skeleton [count]="3" />
    }
  `,
  styles: `
    .address {
      word-break: break-all;
      font-size: 0.9em;
    }
    .bar {
      display: flex;
      justify-content: flex-end;
    }
    .status {
      font-weight: 600;
      text-transform: capitalize;
    }
  `,
})
export class WithdrawalsList {
  protected readonly store = inject(WalletStore);
  protected readonly busy = signal<string | null>(null);
  protected readonly statusText = withdrawalStatusText;

  protected cancelLabel(w: WithdrawalDto): string {
    return $localize`Cancel withdrawal of ${w.amount}:amount: ${w.asset}:asset:`;
  }

  protected refresh(): Promise<void> {
    return this.run('refresh', () => Promise.all([this.store.loadWithdrawals(), this.store.load()]).then(() => undefined));
  }

  protected more(): Promise<void> {
    return this.run('more', () => this.store.loadMoreWithdrawals());
  }

  protected cancel(id: string): Promise<void> {
    return this.run(id, () => this.store.cancelWithdrawal(id));
  }

  private async run(what: string, fn: () => Promise<void>): Promise<void> {
    this.busy.set(what);
    try {
      await fn();
    } catch {
      /* the error interceptor has shown it */
    } finally {
      this.busy.set(null);
    }
  }
}
