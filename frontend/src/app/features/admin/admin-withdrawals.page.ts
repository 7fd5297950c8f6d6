import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import type { AdminWithdrawalDto, PayoutManualReason, WithdrawalPayoutDto, WithdrawalPayoutStatus, WithdrawalStatus } from '../../api/models';
import { WITHDRAWAL_STATUS } from '../../api/models/withdrawal-status-array';
import { ApiError } from '../../core/http/api-error';
import { QtyPipe, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import { AdminWithdrawalsStore } from './admin-withdrawals.store';
import { TxHash } from '../../core/ui/tx-hash';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

type Mode = 'reject' | 'complete';
interface Note {
  text: string;
  error: boolean;
}

/** The statuses as the page shows them (lower case: the status column capitalizes them). */
const STATUS_LABELS: Record<WithdrawalStatus, string> = {
  pending: $localize`:Withdrawal status|:pending`,
  approved: $localize`:Withdrawal status|:approved`,
  completed: $localize`:Withdrawal status|:completed`,
  rejected: $localize`:Withdrawal status|:rejected`,
  cancelled: $localize`:Withdrawal status|:cancelled`,
};

/** A withdrawal's automatic payout, as the review queue says it (whole sentences: the page shows one). */
const PAYOUT_TEXTS: Record<Exclude<WithdrawalPayoutStatus, 'manual'>, string> = {
  sending: $localize`Payout: being sent to the payment provider.`,
  created: $localize`Payout: created at the payment provider, waiting to be verified.`,
  processing: $localize`Payout: the payment provider is sending it; the withdrawal completes when it confirms.`,
  finished: $localize`Payout: sent by the payment provider.`,
  failed: $localize`Payout: the payment provider could not send it; the held funds went back to the user.`,
};

/** Why an operator sends it: the payout's `manualReason`. */
const MANUAL_TEXTS: Record<PayoutManualReason, string> = {
  automation_off: $localize`Not sent automatically (automatic payouts are off): send it, then complete it with its transaction hash.`,
  over_withdrawal_cap: $localize`Not sent automatically: it is worth more than one automatic payout may be. Send it, then complete it with its transaction hash.`,
  over_daily_cap: $localize`Not sent automatically: today's automatic payouts reached their daily cap. Send it, then complete it with its transaction hash.`,
  no_payout_currency: $localize`Not sent automatically: the payment provider does not pay out on this network. Send it, then complete it with its transaction hash.`,
  provider_refused: $localize`Not sent automatically: the payment provider refused the payout. Send it, then complete it with its transaction hash.`,
  provider_mismatch: $localize`Not sent automatically: the payment provider holds a different payout for it, which was never verified. Send it, then complete it with its transaction hash.`,
  recent_adjustment: $localize`Not sent automatically: the user was credited by a ledger adjustment recently, or by the admin who approved it. Check it, send it, then complete it with its transaction hash.`,
  provider_failed: $localize`Not sent: the payment provider reports the payout failed. Send it another way and complete it with its transaction hash, or reject it.`,
  not_at_provider: $localize`Not sent: the payment provider holds no payout for it. Send it and complete it with its transaction hash, or reject it.`,
};

/** A payout the provider may be sending: the withdrawal is neither completed nor rejected by hand meanwhile. */
const LIVE: readonly WithdrawalPayoutStatus[] = ['sending', 'created', 'processing'];

/**
 * Review queue: approve (one or two admins), reject with a reason, complete with the payout's tx hash. With automatic
 * payouts an approved withdrawal is sent through the payment provider and completes (or is given back) on its word;
 * the page shows that payout, and offers completing and rejecting by hand only when none is under way.
 */
@Component({
  selector: 'cv-admin-withdrawals-page',
  imports: [Skeleton, CardTable, FormsModule, WhenPipe, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, QtyPipe, UsdPipe, TxHash],
  providers: [AdminWithdrawalsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="bar">
      <mat-form-field>
        <mat-label i18n>Status</mat-label>
        <mat-select name="status" [ngModel]="status()" (ngModelChange)="filter($event)">
          <mat-option i18n value="">All</mat-option>
          @for (s of statuses; track s) {
            <mat-option [value]="s">{{ statusLabels[s] }}</mat-option>
          }
        </mat-select>
      </mat-form-field>
      <button i18n mat-button type="button" (click)="reload()">Refresh</button>
    </div>
    @if (store.withdrawals(); as list) {
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th i18n>Requested</th><th i18n>User</th><th i18n class="num">Amount</th><th i18n class="num">Fee</th><th i18n class="num">Value</th><th i18n>Network / address</th>
              <th i18n>Status</th><th><span i18n class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            @for (w of list; track w.id) {
              <tr [attr.data-withdrawal-id]="w.id">
                <td>{{ w.createdAt | when }}</td>
                <td>{{ w.userEmail }}</td>
                <td class="num">{{ w.amount | qty: w.asset }}</td>
                <td class="num">{{ w.fee | qty: w.asset }}</td>
                <td class="num">{{ w.usdValue | usd }}</td>
                <td>
                  {{ w.network }}
                  @if (w.addressLabel) {
                    · <ng-container i18n>saved as "{{ w.addressLabel }}"</ng-container>
                  }
                  <br /><code class="address">{{ w.address }}</code>
                </td>
                <td>
                  <strong class="status">{{ statusLabels[w.status] }}</strong>
                  <div i18n class="muted">
                    {{ w.approvals }} of {w.requiredApprovals, plural, =1 {1 approval} other {{{ w.requiredApprovals }} approvals}}
                  </div>
                  @if (w.rejectReason) { <div i18n class="muted">Reason: {{ w.rejectReason }}</div> }
                  @if (w.txHash) { <div i18n class="muted">Tx: <cv-tx-hash [hash]="w.txHash" [url]="w.explorerUrl" /></div> }
                  @if (w.payout; as p) {
                    <div class="payout" [attr.data-payout-status]="p.status">
                      {{ payoutText(p) }}
                      @if (p.providerStatus && p.status !== 'manual') { <code class="provider-status">{{ p.providerStatus }}</code> }
                    </div>
                    @if (p.error && p.status !== 'finished') { <div i18n class="muted error-text">Provider: {{ p.error }}</div> }
                  }
                </td>
                <td class="actions">
                  @if (w.status === 'pending') {
                    <button i18n mat-flat-button type="button" [disabled]="busy() === w.id" [attr.aria-label]="actionLabel(w, 'approve')" (click)="approve(w)">
                      Approve
                    </button>
                  }
                  @if (w.status === 'approved' && !payoutLive(w)) {
                    <button i18n mat-flat-button type="button" [attr.aria-label]="actionLabel(w, 'complete')" (click)="openForm(w, 'complete')">
                      Complete
                    </button>
                  }
                  @if (w.status === 'approved' && payoutLive(w)) {
                    <button i18n mat-stroked-button type="button" [disabled]="busy() === w.id" [attr.aria-label]="actionLabel(w, 'resolve')" (click)="resolve(w)">
                      Check with the provider
                    </button>
                  }
                  @if ((w.status === 'pending' || w.status === 'approved') && !payoutLive(w)) {
                    <button i18n mat-stroked-button type="button" [attr.aria-label]="actionLabel(w, 'reject')" (click)="openForm(w, 'reject')">
                      Reject
                    </button>
                  }
                </td>
              </tr>
              @if (notes()[w.id]; as n) {
                <tr class="note-row">
                  <td colspan="8">
                    <p [class.error-text]="n.error" [attr.role]="n.error ? 'alert' : 'status'">{{ n.text }}</p>
                  </td>
                </tr>
              }
              @if (open()?.id === w.id) {
                <tr class="form-row">
                  <td colspan="8">
                    <form class="inline" (ngSubmit)="submitForm(w)">
                      @if (open()?.mode === 'complete') {
                        <mat-form-field class="wide">
                          <mat-label i18n>Transaction hash of the payout</mat-label>
                          <input matInput name="txHash" autocomplete="off" spellcheck="false" required [(ngModel)]="text" />
                          @if (fieldError(); as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
                        </mat-form-field>
                        <button i18n mat-flat-button type="submit" [disabled]="busy() === w.id">Mark as completed</button>
                      } @else {
                        <mat-form-field class="wide">
                          <mat-label i18n>Reason (shown to the user)</mat-label>
                          <input matInput name="reason" required [(ngModel)]="text" />
                          @if (fieldError(); as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
                        </mat-form-field>
                        <button i18n mat-flat-button type="submit" [disabled]="busy() === w.id">Reject withdrawal</button>
                      }
                      <button i18n mat-button type="button" (click)="open.set(null)">Cancel</button>
                    </form>
                  </td>
                </tr>
              }
            } @empty {
              <tr>
                <td i18n colspan="8" class="muted">
                  {status(), select, pending {No withdrawals pending.} approved {No withdrawals approved.} completed {No withdrawals completed.} rejected
                  {No withdrawals rejected.} cancelled {No withdrawals cancelled.} other {No withdrawals.}}
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
      @if (store.cursor()) {
        <button i18n mat-button type="button" (click)="more()">Load more withdrawals</button>
      }
    } @else {
      <cv-skeleton [count]="5" />
    }
  `,
  styles: `
    .bar {
      display: flex;
      gap: 8px;
      align-items: baseline;
    }
    .address {
      word-break: break-all;
      font-size: 0.9em;
    }
    .status {
      text-transform: capitalize;
    }
    .actions {
      white-space: nowrap;
      button + button {
        margin-left: 8px;
      }
    }
    .inline {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: baseline;
    }
    .wide {
      min-width: 320px;
      flex: 1;
    }
    .note-row p {
      margin: 0;
    }
    .payout {
      margin-top: 4px;
      max-width: 36em;
    }
    .provider-status {
      margin-left: 4px;
      font-size: 0.85em;
    }
  `,
})
export class AdminWithdrawalsPage implements OnInit {
  protected readonly store = inject(AdminWithdrawalsStore);
  protected readonly statuses = WITHDRAWAL_STATUS;
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly status = signal<WithdrawalStatus | ''>('pending');
  protected readonly busy = signal<string | null>(null);
  protected readonly open = signal<{ id: string; mode: Mode } | null>(null);
  protected readonly notes = signal<Record<string, Note>>({});
  protected readonly fieldError = signal<string | null>(null);
  protected text = '';

  ngOnInit(): void {
    this.reload();
  }

  protected reload(): void {
    this.notes.set({});
    void this.store.load(this.status() || null).catch(() => undefined);
  }

  protected filter(status: WithdrawalStatus | ''): void {
    this.status.set(status);
    this.open.set(null);
    this.reload();
  }

  protected more(): void {
    void this.store.loadMore().catch(() => undefined);
  }

  protected payoutText(p: WithdrawalPayoutDto): string {
    return p.status === 'manual' ? MANUAL_TEXTS[p.manualReason ?? 'automation_off'] : PAYOUT_TEXTS[p.status];
  }

  protected payoutLive(w: AdminWithdrawalDto): boolean {
    return !!w.payout && LIVE.includes(w.payout.status);
  }

  protected actionLabel(w: AdminWithdrawalDto, action: 'approve' | 'complete' | 'reject' | 'resolve'): string {
    const { amount, asset, userEmail: email } = w;
    if (action === 'resolve') return $localize`Check the payout of the withdrawal of ${amount}:amount: ${asset}:asset: by ${email}:email: with the payment provider`;
    if (action === 'approve') return $localize`Approve withdrawal of ${amount}:amount: ${asset}:asset: by ${email}:email:`;
    if (action === 'complete') return $localize`Complete withdrawal of ${amount}:amount: ${asset}:asset: by ${email}:email:`;
    return $localize`Reject withdrawal of ${amount}:amount: ${asset}:asset: by ${email}:email:`;
  }

  protected openForm(w: AdminWithdrawalDto, mode: Mode): void {
    this.text = '';
    this.fieldError.set(null);
    this.open.set({ id: w.id, mode });
  }

  protected async approve(w: AdminWithdrawalDto): Promise<void> {
    this.busy.set(w.id);
    try {
      const res = await this.store.approve(w.id);
      this.note(w.id, this.approvedText(res), false);
    } catch (err) {
      this.note(w.id, ApiError.from(err).message, true);
    } finally {
      this.busy.set(null);
    }
  }

  /** Asks the provider about a live payout that seems stuck and applies its answer (409 while it is still under way there). */
  protected async resolve(w: AdminWithdrawalDto): Promise<void> {
    this.busy.set(w.id);
    try {
      const res = await this.store.resolvePayout(w.id);
      this.note(
        w.id,
        res.status === 'completed'
          ? $localize`The payment provider sent it: completed with its transaction hash.`
          : $localize`The payment provider did not send it: send it by hand and complete it, or reject it.`,
        false,
      );
    } catch (err) {
      this.note(w.id, ApiError.from(err).message, true);
    } finally {
      this.busy.set(null);
    }
  }

  private approvedText(res: AdminWithdrawalDto): string {
    if (res.status !== 'approved')
      return $localize`Approval recorded (${res.approvals}:approvals: of ${res.requiredApprovals}:required:): a different admin must also approve this withdrawal.`;
    if (this.payoutLive(res)) return $localize`Approved and sent to the payment provider: it completes when the provider confirms the payout.`;
    if (res.payout?.status === 'manual') return $localize`Approved. An operator sends this one: see why beside it.`;
    return $localize`Approved: it can now be completed once the payout is sent.`;
  }

  protected async submitForm(w: AdminWithdrawalDto): Promise<void> {
    const current = this.open();
    if (!current) return;
    this.busy.set(w.id);
    this.fieldError.set(null);
    try {
      const value = this.text.trim();
      const res = current.mode === 'complete' ? await this.store.complete(w.id, value) : await this.store.reject(w.id, value);
      this.open.set(null);
      this.note(w.id, res.status === 'completed' ? $localize`Completed: the user sees the transaction hash.` : $localize`Rejected: the held funds went back to the user.`, false);
    } catch (err) {
      const e = ApiError.from(err);
      const field = e.fieldErrors[current.mode === 'complete' ? 'txHash' : 'reason'];
      if (field) this.fieldError.set(field);
      else this.note(w.id, e.message, true);
    } finally {
      this.busy.set(null);
    }
  }

  private note(id: string, text: string, error: boolean): void {
    this.notes.update((n) => ({ ...n, [id]: { text, error } }));
  }
}
