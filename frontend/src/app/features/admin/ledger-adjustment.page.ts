import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { LedgerAdjustmentDtoConstraints, RejectLedgerAdjustmentDtoConstraints } from '../../api/constraints';
import type { AdminLedgerAdjustmentDto, LedgerAdjustmentStatus } from '../../api/models';
import { SCHEMA_FIELDS, fieldRule, readDecimal, readyToSend, tickerWords } from '../../core/forms/schema-validation';
import { ApiError } from '../../core/http/api-error';
import { compareDecimals } from '../../core/ui/decimal';
import { DisplayFormat, QtyPipe, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { AdminStore } from './admin.store';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

interface Note {
  text: string;
  error: boolean;
}

/** The statuses as the page shows them (lower case: the status column capitalizes them). */
const STATUS_LABELS: Record<LedgerAdjustmentStatus, string> = {
  pending: $localize`:Ledger adjustment status|:pending`,
  posted: $localize`:Ledger adjustment status|:posted`,
  rejected: $localize`:Ledger adjustment status|:rejected`,
};

/**
 * Credit (positive) or debit (negative) a user's balance against the platform
 * treasury, and the queue of adjustments held for a second admin (approve or
 * reject). Amounts stay decimal strings end to end.
 */
@Component({
  selector: 'cv-ledger-adjustment-page',
  imports: [Skeleton, CardTable, FormsModule, SCHEMA_FIELDS, WhenPipe, MatButtonModule, MatFormFieldModule, MatInputModule, QtyPipe, UsdPipe],
  providers: [AdminStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p i18n>
      Moves funds between the platform treasury and a user's available balance. It is audited with your reason. Never your own account; once your
      adjustments of the last 24 hours reach the dual-control line, each further one waits for a second admin.
    </p>
    <form class="form" #f="ngForm" (ngSubmit)="submit(f)">
      <mat-form-field subscriptSizing="dynamic">
        <mat-label i18n>User id</mat-label>
        <input matInput name="userId" autocomplete="off" required #userModel="ngModel" [cvField]="fields.userId" [cvServerError]="errors.fields()['userId']" [(ngModel)]="user" />
        <mat-error>{{ userModel.errors | fieldError }}</mat-error>
      </mat-form-field>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label i18n>Asset</mat-label>
        <input matInput name="asset" autocomplete="off" required #assetModel="ngModel" [cvField]="fields.asset" [cvServerError]="errors.fields()['asset']" [(ngModel)]="asset" />
        <mat-error>{{ assetModel.errors | fieldError }}</mat-error>
        <mat-hint i18n>USD, BTC, ETH…</mat-hint>
      </mat-form-field>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label i18n>Amount</mat-label>
        <input matInput name="amount" inputmode="decimal" autocomplete="off" required #amountModel="ngModel"
          [cvField]="fields.amount" [cvFieldCheck]="notZero" [cvServerError]="errors.fields()['amount']" [(ngModel)]="amount" />
        <mat-error>{{ amountModel.errors | fieldError }}</mat-error>
        <mat-hint i18n>Positive credits the user, negative (e.g. -5.25) debits</mat-hint>
      </mat-form-field>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label i18n>Reason</mat-label>
        <textarea matInput name="reason" rows="2" required #reasonModel="ngModel" [cvField]="fields.reason" [cvServerError]="errors.fields()['reason']" [(ngModel)]="reason"></textarea>
        <mat-error>{{ reasonModel.errors | fieldError }}</mat-error>
      </mat-form-field>
      @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
      @if (posted(); as p) { <p role="status">{{ p }}</p> }
      <div><button i18n mat-flat-button type="submit" [disabled]="busy()">Post adjustment</button></div>
    </form>

    <h2 i18n>Waiting for a second admin</h2>
    @if (store.pending(); as list) {
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th i18n>Requested</th><th i18n>User</th><th i18n class="num">Amount</th><th i18n class="num">Value</th><th i18n>Reason</th><th i18n>Requested by</th>
              <th i18n>Status</th><th><span i18n class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            @for (a of list; track a.id) {
              <tr [attr.data-adjustment-id]="a.id">
                <td>{{ a.createdAt | when }}</td>
                <td>{{ a.userEmail ?? a.userId }}</td>
                <td class="num">{{ a.amount | qty: a.asset }}</td>
                <td class="num">{{ a.usdValue | usd }}</td>
                <td>{{ a.reason }}</td>
                <td>{{ a.requestedByEmail ?? a.requestedBy }}</td>
                <td><strong class="status">{{ statusLabels[a.status] }}</strong></td>
                <td class="actions">
                  @if (a.status === 'pending') {
                    <button i18n mat-flat-button type="button" [disabled]="deciding() === a.id" [attr.aria-label]="actionLabel(a, 'approve')" (click)="approve(a)">
                      Approve
                    </button>
                    <button i18n mat-stroked-button type="button" [attr.aria-label]="actionLabel(a, 'reject')" (click)="openReject(a)">
                      Reject
                    </button>
                  }
                </td>
              </tr>
              @if (notes()[a.id]; as n) {
                <tr class="note-row">
                  <td colspan="8"><p [class.error-text]="n.error" [attr.role]="n.error ? 'alert' : 'status'">{{ n.text }}</p></td>
                </tr>
              }
              @if (rejecting() === a.id) {
                <tr class="form-row">
                  <td colspan="8">
                    <form class="inline" #rejectForm="ngForm" (ngSubmit)="reject(a, rejectForm)">
                      <mat-form-field class="wide" subscriptSizing="dynamic">
                        <mat-label i18n>Why it is rejected</mat-label>
                        <input matInput name="rejectNote" required #rejectModel="ngModel" [cvField]="fields.rejectReason" [cvServerError]="rejectError()" [(ngModel)]="rejectText" />
                        <mat-error>{{ rejectModel.errors | fieldError }}</mat-error>
                      </mat-form-field>
                      <button i18n mat-flat-button type="submit" [disabled]="deciding() === a.id">Reject adjustment</button>
                      <button i18n mat-button type="button" (click)="rejecting.set(null)">Cancel</button>
                    </form>
                  </td>
                </tr>
              }
            } @empty {
              <tr><td i18n colspan="8" class="muted">No adjustment is waiting for approval.</td></tr>
            }
          </tbody>
        </table>
      </div>
    } @else {
      <cv-skeleton [count]="4" />
    }
  `,
  styles: `
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
  `,
})
export class LedgerAdjustmentPage implements OnInit {
  protected readonly store = inject(AdminStore);
  /** `?userId=` (from the users list). */
  readonly userId = input<string>();
  protected readonly busy = signal(false);
  protected readonly posted = signal<string | null>(null);
  protected readonly errors = new FormErrors(['userId', 'asset', 'amount', 'reason']);
  private readonly format = inject(DisplayFormat);
  /** The API's rules for the fields, and how messages name them. */
  protected readonly fields = {
    userId: fieldRule(LedgerAdjustmentDtoConstraints.userId, { label: $localize`:A field named in messages like "Enter the id of the user to adjust":the id of the user to adjust` }),
    asset: fieldRule(LedgerAdjustmentDtoConstraints.asset, tickerWords(LedgerAdjustmentDtoConstraints.asset)),
    amount: fieldRule(LedgerAdjustmentDtoConstraints.amount, { label: $localize`:A field named in messages like "Enter an amount like 250 or 0.5":an amount` }),
    reason: fieldRule(LedgerAdjustmentDtoConstraints.reason, { label: $localize`:A field named in messages like "Enter a reason of 3 to 300 characters":a reason` }),
    rejectReason: fieldRule(RejectLedgerAdjustmentDtoConstraints.reason, { label: $localize`:A field named in messages like "Enter a reason of 3 to 300 characters":a reason` }),
  };
  /** An adjustment moves money: zero is refused, as the server refuses it. */
  protected readonly notZero = (amount: string): string | null => (compareDecimals(amount.replace(/^-/, ''), '0') === 0 ? $localize`Enter an amount other than 0` : null);
  protected readonly deciding = signal<string | null>(null);
  protected readonly rejecting = signal<string | null>(null);
  protected readonly rejectError = signal<string | null>(null);
  protected readonly notes = signal<Record<string, Note>>({});
  protected readonly statusLabels = STATUS_LABELS;
  protected rejectText = '';
  protected user = '';
  protected asset = 'USD';
  protected amount = '';
  protected reason = '';

  ngOnInit(): void {
    this.user = this.userId() ?? '';
    void this.store.loadPending().catch(() => undefined);
  }

  protected async submit(form: NgForm): Promise<void> {
    this.errors.clear();
    this.posted.set(null);
    if (!readyToSend(form)) return;
    this.busy.set(true);
    const body = { userId: this.user.trim(), asset: this.asset.trim().toUpperCase(), amount: readDecimal(this.amount, this.format), reason: this.reason.trim() };
    try {
      const res = await this.store.adjustLedger(body);
      this.posted.set(
        res.journalId
          ? $localize`Posted: ${body.amount}:amount: ${body.asset}:asset: for user ${body.userId}:user: (journal ${res.journalId}:journal:).`
          : $localize`Held: ${body.amount}:amount: ${body.asset}:asset: for user ${body.userId}:user: waits for a second admin's approval (over your 24-hour dual-control line).`,
      );
      this.amount = '';
      this.reason = '';
      // The next adjustment starts afresh: its empty fields are not told to be filled yet.
      form.resetForm({ userId: this.user, asset: this.asset, amount: '', reason: '' });
    } catch (err) {
      this.errors.set(err, { UNKNOWN_ASSET: 'asset', INSUFFICIENT_FUNDS: 'amount', NOT_FOUND: 'userId' });
    } finally {
      this.busy.set(false);
    }
  }

  protected actionLabel(a: AdminLedgerAdjustmentDto, action: 'approve' | 'reject'): string {
    const { amount, asset } = a;
    const user = a.userEmail ?? a.userId;
    return action === 'approve'
      ? $localize`Approve adjustment of ${amount}:amount: ${asset}:asset: for ${user}:user:`
      : $localize`Reject adjustment of ${amount}:amount: ${asset}:asset: for ${user}:user:`;
  }

  protected openReject(a: AdminLedgerAdjustmentDto): void {
    this.rejectText = '';
    this.rejectError.set(null);
    this.rejecting.set(a.id);
  }

  protected async approve(a: AdminLedgerAdjustmentDto): Promise<void> {
    this.deciding.set(a.id);
    try {
      const res = await this.store.approve(a.id);
      this.note(a.id, $localize`Approved and posted: ${res.amount}:amount: ${res.asset}:asset: (journal ${res.journalId}:journal:).`, false);
    } catch (err) {
      this.note(a.id, ApiError.from(err).message, true);
    } finally {
      this.deciding.set(null);
    }
  }

  protected async reject(a: AdminLedgerAdjustmentDto, form: NgForm): Promise<void> {
    this.rejectError.set(null);
    if (!readyToSend(form)) return;
    this.deciding.set(a.id);
    try {
      await this.store.reject(a.id, this.rejectText.trim());
      this.rejecting.set(null);
      this.note(a.id, $localize`Rejected: nothing was posted.`, false);
    } catch (err) {
      const e = ApiError.from(err);
      const field = e.fieldErrors['reason'];
      if (field) this.rejectError.set(field);
      else this.note(a.id, e.message, true);
    } finally {
      this.deciding.set(null);
    }
  }

  private note(id: string, text: string, error: boolean): void {
    this.notes.update((n) => ({ ...n, [id]: { text, error } }));
  }
}
