import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { TransactionDto } from '../../api/models';
import { AmountComponent, ProsePipe, WhenPipe, trend } from '../../core/ui/format.pipes';
import { transactionStatusText, transactionTypeText } from '../transactions/transaction-labels';
import { Skeleton } from '../../core/ui/skeleton';

/** The latest ledger movements (credits positive), newest first, with a way to all of them. */
@Component({
  selector: 'cv-recent-activity',
  imports: [Skeleton, ProsePipe, AmountComponent, WhenPipe, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (items(); as list) {
      @if (list.length === 0) {
        <p i18n class="muted">No activity yet.</p>
      } @else {
        <!-- Scrolls sideways on a phone: focusable so the keyboard can scroll it too. -->
        <div class="table-wrap" tabindex="0" role="region" aria-label="Recent transactions" i18n-aria-label>
          <table class="data narrow">
            <thead>
              <tr>
                <th i18n scope="col">Type</th>
                <th i18n scope="col" class="hide-sm">Asset</th>
                <th i18n scope="col" class="num">Amount</th>
                <th i18n scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              @for (t of list; track t.id) {
                <tr>
                  <td>
                    {{ typeLabel(t.type) }}
                    @if (t.status !== 'completed') { <span class="muted">({{ statusText(t.status) }})</span> }
                    @if (t.description) { <div class="muted small hide-sm">{{ t.description | prose }}</div> }
                  </td>
                  <td class="hide-sm">{{ t.asset }}</td>
                  <td [class]="'num ' + trend(t.amount)"><cv-amount [value]="t.amount" [asset]="t.asset" [signed]="true" /></td>
                  <td><time [attr.datetime]="t.createdAt">{{ t.createdAt | when }}</time></td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    } @else if (failed()) {
      <p i18n class="muted">Activity unavailable.</p>
    } @else {
      <cv-skeleton [count]="5" />
    }
    <p><a i18n routerLink="/transactions">All transactions</a></p>
  `,
  styles: `
    .small {
      font: var(--mat-sys-body-small);
    }
    // Phones: the amount already names the asset; the description waits for a wider screen.
    @media (max-width: 599.98px) {
      .hide-sm {
        display: none;
      }
    }
  `,
})
export class RecentActivity {
  readonly items = input.required<TransactionDto[] | null>();
  readonly failed = input(false);
  protected readonly trend = trend;

  protected readonly typeLabel = transactionTypeText;
  protected readonly statusText = transactionStatusText;
}
