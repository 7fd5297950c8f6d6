import { ChangeDetectionStrategy, Component, OnInit, computed, effect, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { CreateWithdrawalDtoConstraints } from '../../api/constraints';
import type { PasskeyAssertionDto, WithdrawalAddressDto, WithdrawalAssetRuleDto, WithdrawalDto } from '../../api/models';
import { Passkeys } from '../../core/auth/passkeys';
import { SessionStore } from '../../core/auth/session.store';
import { type FieldCheck, SCHEMA_FIELDS, choiceRule, fieldRule, readDecimal, readyToSend } from '../../core/forms/schema-validation';
import { addDecimals, compareDecimals, decimalPlaces, isPlainDecimal } from '../../core/ui/decimal';
import { DisplayFormat, QtyPipe, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { holdReasonText } from '../security/security-event-labels';
import { AddressBookStore, addressStatusText } from './address-book.store';
import { withdrawalStatusText } from './wallet-labels';
import { WalletStore } from './wallet.store';

const POSITIVE = /[1-9]/;
/** Errors the API answers without `details`, shown on the field they are about. */
const CODE_FIELDS = {
  TWO_FACTOR_INVALID: 'twoFactorCode',
  TWO_FACTOR_REQUIRED: 'twoFactorCode',
  INSUFFICIENT_FUNDS: 'amount',
  LIMIT_EXCEEDED: 'amount',
  BELOW_MINIMUM: 'amount',
  UNKNOWN_ASSET: 'asset',
  NOT_FOUND: 'addressId',
};

/**
 * Send crypto out, to a saved address of the address book (usable ones only:
 * confirmed and past their hold). The asset, minimum, fee and decimals come from
 * GET /api/wallet/withdrawal-rules (what the server enforces), so the form
 * shows the fee and the total held before submit and refuses an amount under
 * the minimum without a round trip.
 */
@Component({
  selector: 'cv-withdraw-form',
  imports: [WhenPipe, FormsModule, SCHEMA_FIELDS, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, QtyPipe, UsdPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (hold(); as h) {
      <p i18n class="notice" role="status" data-testid="withdraw-hold">
        Withdrawals are on hold until {{ h.until | when }} because {{ holdReason(h.reason) }}. This protects you if someone else made the change;
        the hold ends by itself. If you did not make it, <a routerLink="/settings/activity">check your account activity</a>.
      </p>
    } @else if (!twoFactorOn()) {
      <p i18n class="notice" data-testid="withdraw-needs-2fa">
        Withdrawals need two-factor authentication. Turn it on in
        <a routerLink="/settings" fragment="two-factor">Settings → Two-factor authentication</a>, then come back here.
      </p>
    } @else if (assets().length === 0) {
      <p i18n class="muted">You hold no crypto to withdraw yet. Buy some on the Markets page first.</p>
    } @else {
      @if (created(); as w) {
        <p i18n class="notice" role="status">
          Withdrawal requested: {{ w.amount | qty: w.asset }} to "{{ w.addressLabel }}" on {{ w.network }} (fee {{ w.fee | qty: w.asset }};
          {{ w.total | qty: w.asset }} held). Status: {{ withdrawalStatus(w.status) }}. An admin reviews it before it is sent.
        </p>
      }
      <form class="form" #f="ngForm" (ngSubmit)="submit(f)">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Asset</mat-label>
          <mat-select name="asset" required #assetModel="ngModel" [cvField]="fields.asset" [cvServerError]="errors.fields()['asset']"
            [ngModel]="asset()" (ngModelChange)="pickAsset($event)">
            @for (b of assets(); track b.asset) {
              <mat-option i18n [value]="b.asset">{{ b.asset }} ({{ b.available | qty: b.asset }} available)</mat-option>
            }
          </mat-select>
          <mat-error>{{ assetModel.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>To saved address</mat-label>
          <mat-select name="addressId" required #addressModel="ngModel" [cvField]="fields.addressId" [cvServerError]="errors.fields()['addressId']"
            [disabled]="!asset()" [(ngModel)]="addressId">
            @for (a of addressesForAsset(); track a.id) {
              <mat-option [value]="a.id" [disabled]="a.status !== 'usable'">{{ a.label }} · {{ a.network }} · {{ shortAddress(a.address) }}{{ a.status === 'usable' ? '' : ' (' + statusText(a) + ')' }}</mat-option>
            }
          </mat-select>
          <mat-error>
            <!-- Without a usable address, what to do about it is the message. -->
            @if (asset() && !usableForAsset().length) {
              <span i18n data-testid="no-usable-address">No usable {{ asset() }} address yet: <a routerLink="/wallet/addresses">add one to your address book</a>.</span>
            } @else {
              {{ addressModel.errors | fieldError }}
            }
          </mat-error>
          @if (asset() && !usableForAsset().length) {
            <mat-hint i18n data-testid="no-usable-address">No usable {{ asset() }} address yet: <a routerLink="/wallet/addresses">add one to your address book</a>.</mat-hint>
          } @else {
            <mat-hint><a i18n routerLink="/wallet/addresses">Manage withdrawal addresses</a></mat-hint>
          }
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label>{{ amountLabel() }}</mat-label>
          <input matInput name="amount" inputmode="decimal" autocomplete="off" required #amountModel="ngModel"
            [cvField]="fields.amount" [cvFieldCheck]="amountCheck()" [cvServerError]="errors.fields()['amount']" [(ngModel)]="amount" />
          <mat-error>{{ amountModel.errors | fieldError }}</mat-error>
          <mat-hint i18n>What the address receives; the network fee is held on top.</mat-hint>
        </mat-form-field>
        @if (rule(); as r) {
          <dl class="summary" data-testid="withdraw-summary">
            <dt i18n>Minimum</dt>
            <dd>{{ r.minimum | qty: r.asset }}</dd>
            <dt i18n>Network fee</dt>
            <dd>{{ r.fee | qty: r.asset }}</dd>
            <dt i18n>Total held</dt>
            <dd>{{ total() ? total() + ' ' + r.asset : '—' }}</dd>
          </dl>
        }
        @if (store.rules(); as limits) {
          <p i18n class="muted small" data-testid="withdraw-limits">
            Up to {{ limits.dailyLimitUsd | usd }} per 24 hours ({{ limits.dailyRemainingUsd | usd }} left now). From {{ limits.dualApprovalUsd | usd }} two admins approve a withdrawal.
          </p>
        }
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Two-factor code</mat-label>
          <input matInput name="twoFactorCode" inputmode="numeric" autocomplete="one-time-code" #codeModel="ngModel"
            [cvField]="fields.twoFactorCode" [cvServerError]="errors.fields()['twoFactorCode']" [(ngModel)]="twoFactorCode" />
          <mat-error>{{ codeModel.errors | fieldError }}</mat-error>
          @if (passkeysSupported) {
            <mat-hint i18n>From your authenticator app, or a backup code (or confirm with a passkey below)</mat-hint>
          } @else {
            <mat-hint i18n>From your authenticator app, or a backup code</mat-hint>
          }
        </mat-form-field>
        @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
        <div class="buttons">
          <button i18n mat-flat-button type="submit" [disabled]="busy()">Request withdrawal</button>
          @if (passkeysSupported) {
            <button i18n mat-stroked-button type="button" [disabled]="busy()" (click)="submitWithPasskey(f)">Confirm with a passkey</button>
          }
        </div>
      </form>
    }
  `,
  styles: `
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .summary {
      display: grid;
      grid-template-columns: max-content auto;
      gap: 4px 16px;
      margin: 0;
    }
    .summary dd {
      margin: 0;
      font-variant-numeric: tabular-nums;
    }
    .notice {
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container);
      max-width: 560px;
    }
  `,
})
export class WithdrawForm implements OnInit {
  protected readonly store = inject(WalletStore);
  protected readonly addressBook = inject(AddressBookStore);
  private readonly session = inject(SessionStore);
  private readonly passkeys = inject(Passkeys);
  protected readonly passkeysSupported = this.passkeys.supported();
  private readonly format = inject(DisplayFormat);
  protected readonly twoFactorOn = computed(() => this.session.user()?.twoFactorEnabled === true);
  /** Now, moved on when a running security hold ends (so the form comes back by itself). */
  private readonly now = signal(Date.now());
  /** The security hold on withdrawals (after a password reset, a 2FA change, an unfreeze...), while it runs. */
  protected readonly hold = computed(() => {
    const h = this.session.user()?.securityHold;
    return h && Date.parse(h.until) > this.now() ? h : null;
  });
  protected readonly holdReason = holdReasonText;
  protected readonly withdrawalStatus = withdrawalStatusText;
  /** Held assets that can be withdrawn (all held crypto until the rules have loaded). */
  protected readonly assets = computed(() => {
    const rules = this.store.rules();
    const withdrawable = rules ? new Set(rules.assets.map((a) => a.asset)) : null;
    return (this.store.wallet()?.balances ?? []).filter((b) => b.asset !== 'USD' && POSITIVE.test(b.available) && (!withdrawable || withdrawable.has(b.asset)));
  });
  protected readonly busy = signal(false);
  protected readonly created = signal<WithdrawalDto | null>(null);
  protected readonly errors = new FormErrors(['asset', 'addressId', 'amount', 'twoFactorCode']);
  /** The API's rules for the fields, and how messages name them. */
  protected readonly fields = {
    asset: choiceRule(CreateWithdrawalDtoConstraints.asset, { label: $localize`an asset`, missing: $localize`Choose an asset` }),
    addressId: choiceRule(CreateWithdrawalDtoConstraints.addressId, { label: $localize`a saved address`, missing: $localize`Choose one of your saved addresses` }),
    amount: fieldRule(CreateWithdrawalDtoConstraints.amount, { label: $localize`:A field named in messages like "Enter an amount like 250 or 0.5":an amount` }),
    twoFactorCode: fieldRule(CreateWithdrawalDtoConstraints.twoFactorCode, {
      label: $localize`a code`,
      size: $localize`Enter the 6-digit code from your authenticator app, or a backup code`,
    }),
  };
  protected readonly asset = signal('');
  protected readonly amount = signal('');
  protected addressId = '';
  protected twoFactorCode = '';

  protected readonly amountLabel = computed(() => {
    const asset = this.asset();
    return asset ? $localize`Amount (${asset}:asset:)` : $localize`Amount (asset)`;
  });
  protected readonly rule = computed<WithdrawalAssetRuleDto | undefined>(() => this.store.rules()?.assets.find((a) => a.asset === this.asset()));
  /** The saved addresses for the chosen asset (those not yet usable are shown, disabled, with why). */
  protected readonly addressesForAsset = computed(() => this.addressBook.addresses().filter((a) => a.asset === this.asset()));
  protected readonly usableForAsset = computed(() => this.addressesForAsset().filter((a) => a.status === 'usable'));
  /** The amount as the API takes it ("0,01" typed in German is "0.01"). */
  private readonly amountValue = computed(() => readDecimal(this.amount(), this.format));
  /** Amount plus fee, exactly, once the amount is a decimal. */
  protected readonly total = computed(() => {
    const r = this.rule();
    const amount = this.amountValue();
    return r && isPlainDecimal(amount) ? addDecimals(amount, r.fee) : '';
  });
  /**
   * What the server checks on the amount beyond its schema, with its wording, before anything is sent: the chosen
   * asset's minimum and decimals, and the amount with its fee against what is available.
   */
  protected readonly amountCheck = computed<FieldCheck | null>(() => {
    const r = this.rule();
    if (!r) return null;
    const available = this.assets().find((b) => b.asset === r.asset)?.available;
    return (amount) => {
      if (decimalPlaces(amount) > r.decimals) {
        return r.decimals === 1 ? $localize`Use at most 1 decimal` : $localize`Use at most ${this.format.digits(String(r.decimals))}:COUNT: decimals`;
      }
      if (compareDecimals(amount, r.minimum) < 0) return $localize`Enter at least ${this.format.full(r.minimum, r.asset)}:MINIMUM:`;
      const total = addDecimals(amount, r.fee);
      if (available && compareDecimals(total, available) > 0) {
        return $localize`With the ${this.format.full(r.fee, r.asset)}:FEE: network fee that is ${this.format.full(total, r.asset)}:TOTAL:, more than the ${this.format.full(available, r.asset)}:AVAILABLE: available`;
      }
      return null;
    };
  });

  constructor() {
    effect((onCleanup) => {
      const h = this.hold();
      if (!h) return;
      // setTimeout takes at most 2^31-1 ms (about 24.8 days); a longer hold re-arms when that fires.
      const timer = setTimeout(() => this.now.set(Date.now()), Math.min(Math.max(0, Date.parse(h.until) - Date.now()) + 250, 2_147_000_000));
      onCleanup(() => clearTimeout(timer));
    });
  }

  ngOnInit(): void {
    if (this.twoFactorOn()) {
      void this.store.loadRules().catch(() => undefined);
      void this.addressBook.load().catch(() => undefined);
    }
  }

  protected pickAsset(asset: string): void {
    this.errors.clear();
    this.asset.set(asset);
    this.addressId = this.usableForAsset()[0]?.id ?? '';
  }

  protected shortAddress(address: string): string {
    return address.length > 20 ? `${address.slice(0, 10)}…${address.slice(-8)}` : address;
  }

  protected statusText(a: WithdrawalAddressDto): string {
    return addressStatusText(a, (iso) => this.format.date(iso));
  }

  protected submit(form: NgForm): Promise<void> {
    return this.send(form, [], async () => ({ twoFactorCode: this.twoFactorCode.trim() }));
  }

  /** The same request confirmed by one of the account's passkeys instead of a code (a challenge bound to this session). */
  protected submitWithPasskey(form: NgForm): Promise<void> {
    return this.send(form, ['twoFactorCode'], async () => ({ passkey: await this.passkeys.confirmationAssertion() }));
  }

  /** Sends the withdrawal once every field it uses holds what the API takes (`unused`: the code, when a passkey confirms). */
  private async send(form: NgForm, unused: string[], secondFactor: () => Promise<{ twoFactorCode: string } | { passkey: PasskeyAssertionDto }>): Promise<void> {
    this.errors.clear();
    this.created.set(null);
    if (!readyToSend(form, unused)) return;
    if (!unused.includes('twoFactorCode') && !this.twoFactorCode.trim()) {
      this.errors.setField('twoFactorCode', $localize`Enter the 6-digit code from your authenticator app, or confirm with a passkey`);
      return;
    }
    this.busy.set(true);
    try {
      const addressId = this.addressId;
      const w = await this.store.withdraw({ asset: this.asset(), addressId, amount: this.amountValue(), ...(await secondFactor()) });
      this.created.set(w);
      // Keep where it went; clear what must be typed afresh (and their "touched" error state).
      form.resetForm({ asset: this.asset(), addressId, amount: '', twoFactorCode: '' });
    } catch (err) {
      const e = this.errors.set(err, CODE_FIELDS);
      if (e.code === 'TWO_FACTOR_NOT_ENABLED' || e.code === 'SECURITY_HOLD') await this.session.reload();
      // The address's state changed meanwhile (removed, still held): show it as it is now.
      if (e.code.startsWith('ADDRESS_')) await this.addressBook.load().catch(() => undefined);
    } finally {
      this.busy.set(false);
    }
  }
}
