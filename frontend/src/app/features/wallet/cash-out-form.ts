import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, effect, inject, signal, viewChild } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { CreateCashOutDtoConstraints, CreateCashOutQuoteDtoConstraints } from '../../api/constraints';
import type { CashOutAsset, CashOutQuoteDto, PasskeyAssertionDto, WithdrawalAddressDto, WithdrawalDto, WithdrawalNetwork } from '../../api/models';
import { Passkeys } from '../../core/auth/passkeys';
import { SessionStore } from '../../core/auth/session.store';
import { type FieldCheck, SCHEMA_FIELDS, choiceRule, fieldRule, readDecimal, readyToSend } from '../../core/forms/schema-validation';
import { ApiError } from '../../core/http/api-error';
import { compareDecimals } from '../../core/ui/decimal';
import { AmountComponent, DisplayFormat, QtyPipe, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { holdReasonText } from '../security/security-event-labels';
import { AddressBookStore, addressStatusText } from './address-book.store';
import { withdrawalStatusText } from './wallet-labels';
import { WalletStore } from './wallet.store';

/** The stablecoins dollars can leave as (the API's CashOutAsset). */
const STABLECOINS: readonly CashOutAsset[] = ['USDT', 'USDC'];
const POSITIVE = /[1-9]/;
/** Refusals without `details`, shown on the field they are about. */
const CODE_FIELDS = {
  TWO_FACTOR_INVALID: 'twoFactorCode',
  TWO_FACTOR_REQUIRED: 'twoFactorCode',
  INSUFFICIENT_FUNDS: 'usdAmount',
  LIMIT_EXCEEDED: 'usdAmount',
  NOT_FOUND: 'addressId',
};

/**
 * "Cash out USD": we have no bank rail, so dollars leave as USDT or USDC sent to a saved address of the owner's, at a
 * quoted rate (API.md "USD cash-out"). Choose the amount in dollars, the stablecoin and its network and the address;
 * "Get quote" asks the server for the price, locked for a few seconds (a visible countdown), showing the rate, the
 * fees and what arrives; "Confirm cash-out" with a two-factor code or a passkey (as a withdrawal) sends exactly that
 * quote. Once it has expired, "Refresh quote" asks for a new one.
 */
@Component({
  selector: 'cv-cash-out-form',
  imports: [FormsModule, SCHEMA_FIELDS, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, AmountComponent, QtyPipe, UsdPipe, WhenPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p i18n class="intro" data-testid="cash-out-intro">We have no bank transfers. Cash-out sends your dollars as USDT/USDC to an address you control, at the rate shown.</p>
    @if (hold(); as h) {
      <p i18n class="notice" role="status" data-testid="cash-out-hold">
        Withdrawals are on hold until {{ h.until | when }} because {{ holdReason(h.reason) }}. This protects you if someone else made the change;
        the hold ends by itself. If you did not make it, <a routerLink="/settings/activity">check your account activity</a>.
      </p>
    } @else if (!twoFactorOn()) {
      <p i18n class="notice" data-testid="cash-out-needs-2fa">
        Withdrawals need two-factor authentication. Turn it on in
        <a routerLink="/settings" fragment="two-factor">Settings → Two-factor authentication</a>, then come back here.
      </p>
    } @else if (store.wallet() && !usdAvailable()) {
      <p i18n class="muted" data-testid="cash-out-no-usd">You have no dollars to cash out yet.</p>
    } @else {
      @if (created(); as w) {
        <p class="notice" role="status" data-testid="cash-out-created">
          <ng-container i18n>Cash-out requested: {{ w.cashOut?.usdAmount | usd }} → {{ w.amount | qty: w.asset }} to "{{ w.addressLabel }}" on {{ w.network }}. Status: {{ withdrawalStatus(w.status) }}. An admin reviews it before it is sent; if it is not sent, your dollars come back to your USD balance.</ng-container>
        </p>
      }
      <form class="form" #f="ngForm" (ngSubmit)="getQuote(f)" aria-label="Cash out USD" i18n-aria-label>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Amount (USD)</mat-label>
          <input matInput name="usdAmount" inputmode="decimal" autocomplete="off" required #amountModel="ngModel"
            [cvField]="fields.usdAmount" [cvFieldCheck]="amountCheck()" [cvServerError]="errors.fields()['usdAmount']"
            [ngModel]="amount()" (ngModelChange)="setAmount($event)" />
          <mat-error>{{ amountModel.errors | fieldError }}</mat-error>
          <mat-hint i18n>{{ usdAvailable() | usd: 'balance' }} available. Exactly this leaves your USD balance, fees included.</mat-hint>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Send as</mat-label>
          <mat-select name="asset" required #assetModel="ngModel" [cvField]="fields.asset" [cvServerError]="errors.fields()['asset']"
            [ngModel]="asset()" (ngModelChange)="pickAsset($event)">
            @for (a of stablecoins; track a) {
              <mat-option [value]="a">{{ a }}</mat-option>
            }
          </mat-select>
          <mat-error>{{ assetModel.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Network</mat-label>
          <mat-select name="network" required #networkModel="ngModel" [cvField]="fields.network" [cvServerError]="errors.fields()['network']"
            [disabled]="!networks().length" [ngModel]="network()" (ngModelChange)="pickNetwork($event)">
            @for (n of networks(); track n) {
              <mat-option [value]="n">{{ n }}</mat-option>
            }
          </mat-select>
          <mat-error>{{ networkModel.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>To saved address</mat-label>
          <mat-select name="addressId" required #addressModel="ngModel" [cvField]="fields.addressId" [cvServerError]="errors.fields()['addressId']"
            [ngModel]="addressId()" (ngModelChange)="addressId.set($event)">
            @for (a of addressesHere(); track a.id) {
              <mat-option [value]="a.id" [disabled]="a.status !== 'usable'">{{ a.label }} · {{ shortAddress(a.address) }}{{ a.status === 'usable' ? '' : ' (' + statusText(a) + ')' }}</mat-option>
            }
          </mat-select>
          <mat-error>
            @if (!usableHere().length) {
              <span i18n data-testid="cash-out-no-address">No usable {{ asset() }} address on {{ network() }} yet: <a routerLink="/wallet/addresses">add one to your address book</a>.</span>
            } @else {
              {{ addressModel.errors | fieldError }}
            }
          </mat-error>
          @if (!usableHere().length) {
            <mat-hint i18n data-testid="cash-out-no-address">No usable {{ asset() }} address on {{ network() }} yet: <a routerLink="/wallet/addresses">add one to your address book</a>.</mat-hint>
          } @else {
            <mat-hint><a i18n routerLink="/wallet/addresses">Manage withdrawal addresses</a></mat-hint>
          }
        </mat-form-field>
        @if (store.rules(); as limits) {
          <p i18n class="muted small" data-testid="cash-out-limits">
            Up to {{ limits.dailyLimitUsd | usd }} per 24 hours ({{ limits.dailyRemainingUsd | usd }} left now). From {{ limits.dualApprovalUsd | usd }} two admins approve a withdrawal.
          </p>
        }
        @if (!quote()) {
          @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
          <div class="buttons">
            <button i18n mat-flat-button type="submit" [disabled]="busy()">Get quote</button>
          </div>
        }
      </form>

      @if (quote(); as q) {
        <section class="quote" aria-labelledby="cash-out-review" data-testid="cash-out-quote">
          <h3 i18n id="cash-out-review">Review your cash-out</h3>
          <dl class="summary">
            <dt i18n>You pay</dt>
            <dd data-testid="cash-out-pay">{{ q.usdAmount | usd }}</dd>
            <dt i18n>Rate</dt>
            <dd data-testid="cash-out-rate"><ng-container i18n>{{ '1' | usd }} = {{ q.rate | qty: q.asset }}</ng-container></dd>
            <dt i18n>Conversion fee</dt>
            <dd>{{ q.conversionFee | usd }}</dd>
            <dt i18n>Converted</dt>
            <dd><cv-amount [value]="q.converted" [asset]="q.asset" /></dd>
            <dt i18n>Network fee</dt>
            <dd><cv-amount [value]="q.networkFee" [asset]="q.asset" /></dd>
            <dt i18n>Arrives</dt>
            <dd data-testid="cash-out-receive"><strong><cv-amount [value]="q.receive" [asset]="q.asset" /></strong></dd>
            <dt i18n>To</dt>
            <dd>
              @if (chosenAddress(); as a) {
                <span i18n>“{{ a.label }}” on {{ q.network }}</span>
                <code class="address">{{ a.address }}</code>
              }
            </dd>
          </dl>
          @if (!expired()) {
            <p class="countdown" role="timer" aria-live="off" data-testid="cash-out-countdown">
              @if (settling() && secondsLeft() === 0) {
                <ng-container i18n>Sent in time: confirming at this price…</ng-container>
              } @else {
                <ng-container i18n>{secondsLeft(), plural, =1 {This price is held for 1 more second.} other {This price is held for {{ secondsLeft() }} more seconds.}}</ng-container>
              }
            </p>
            <form class="form" #c="ngForm" (ngSubmit)="confirm(c)" aria-label="Confirm the cash-out" i18n-aria-label>
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
                <button i18n mat-button type="button" [disabled]="busy()" (click)="dropQuote()">Cancel</button>
                <button i18n mat-flat-button type="submit" [disabled]="busy()">Confirm cash-out</button>
                @if (passkeysSupported) {
                  <button i18n mat-stroked-button type="button" [disabled]="busy()" (click)="confirmWithPasskey(c)">Confirm with a passkey</button>
                }
              </div>
            </form>
          } @else {
            <p i18n class="countdown" data-testid="cash-out-expired">This quote has expired. Get a new one at the current price.</p>
            @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
            <div class="buttons">
              <button i18n mat-button type="button" [disabled]="busy()" (click)="dropQuote()">Cancel</button>
              <button i18n mat-flat-button type="button" [disabled]="busy()" (click)="refreshQuote()">Refresh quote</button>
            </div>
          }
        </section>
      }
    }
  `,
  styles: `
    .intro {
      max-width: 560px;
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    .quote {
      margin-top: 16px;
      padding: 16px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container);
      max-width: 560px;
    }
    .quote h3 {
      margin-top: 0;
    }
    .summary {
      display: grid;
      grid-template-columns: max-content minmax(0, 1fr);
      gap: 4px 16px;
      margin: 0 0 12px;
    }
    .summary dd {
      margin: 0;
      font-variant-numeric: tabular-nums;
      overflow-wrap: anywhere;
    }
    .address {
      display: block;
      word-break: break-all;
      font-size: 0.9em;
    }
    .countdown {
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
export class CashOutForm implements OnInit {
  protected readonly store = inject(WalletStore);
  protected readonly addressBook = inject(AddressBookStore);
  private readonly session = inject(SessionStore);
  private readonly passkeys = inject(Passkeys);
  private readonly format = inject(DisplayFormat);
  protected readonly passkeysSupported = this.passkeys.supported();
  protected readonly stablecoins = STABLECOINS;
  protected readonly holdReason = holdReasonText;
  protected readonly withdrawalStatus = withdrawalStatusText;
  protected readonly twoFactorOn = computed(() => this.session.user()?.twoFactorEnabled === true);
  /** Now, moved on when a running security hold ends (so the form comes back by itself). */
  private readonly holdClock = signal(Date.now());
  protected readonly hold = computed(() => {
    const h = this.session.user()?.securityHold;
    return h && Date.parse(h.until) > this.holdClock() ? h : null;
  });

  protected readonly errors = new FormErrors(['usdAmount', 'asset', 'network', 'addressId', 'twoFactorCode']);
  /** The API's rules for the fields, and how messages name them. */
  protected readonly fields = {
    usdAmount: fieldRule(CreateCashOutQuoteDtoConstraints.usdAmount, { label: $localize`:A field named in messages like "Enter an amount like 250 or 0.5":an amount` }),
    asset: choiceRule(CreateCashOutQuoteDtoConstraints.asset, { label: $localize`a stablecoin`, missing: $localize`Choose USDT or USDC` }),
    network: choiceRule(CreateCashOutQuoteDtoConstraints.network, { label: $localize`a network`, missing: $localize`Choose a network` }),
    addressId: choiceRule(CreateCashOutDtoConstraints.addressId, { label: $localize`a saved address`, missing: $localize`Choose one of your saved addresses` }),
    twoFactorCode: fieldRule(CreateCashOutDtoConstraints.twoFactorCode, {
      label: $localize`a code`,
      size: $localize`Enter the 6-digit code from your authenticator app, or a backup code`,
    }),
  };

  protected readonly amount = signal('');
  protected readonly asset = signal<CashOutAsset>('USDT');
  protected readonly network = signal<WithdrawalNetwork | ''>('');
  protected readonly addressId = signal('');
  protected twoFactorCode = '';
  /** Whether the owner chose the stablecoin or network (then the form no longer picks the network for them). */
  private networkPicked = false;
  protected readonly busy = signal(false);
  protected readonly quote = signal<CashOutQuoteDto | null>(null);
  protected readonly created = signal<WithdrawalDto | null>(null);
  /** The amount, stablecoin, network and address form (reset once a cash-out is made, so its empty amount is not an error). */
  private readonly quoteForm = viewChild<NgForm>('f');

  /** When the quote on screen stops being good (this browser's clock: the server's `validForMs` from receipt). */
  private deadline = 0;
  /** Set by the server: the quote was refused as expired though this clock still counted. */
  private readonly expiredByServer = signal(false);
  private readonly now = signal(Date.now());
  private timer: ReturnType<typeof setInterval> | undefined;
  protected readonly secondsLeft = computed(() => Math.max(0, Math.ceil((this.deadline - this.now()) / 1000)));
  /**
   * The quote on screen was sent to be settled and no answer has come yet. Its clock may run out meanwhile, but the
   * server decides (it was sent in time): the page says it is confirming, not that the quote expired.
   */
  protected readonly settling = signal(false);
  protected readonly expired = computed(() => this.quote() !== null && !this.settling() && (this.expiredByServer() || this.secondsLeft() === 0));

  /** The dollars available to cash out ("0" before the wallet has loaded or without a USD balance). */
  protected readonly usdAvailable = computed(() => {
    const usd = this.store.wallet()?.balances.find((b) => b.asset === 'USD')?.available;
    return usd && POSITIVE.test(usd) ? usd : '';
  });
  /** The networks the chosen stablecoin leaves on (GET /withdrawal-rules), the default first. */
  protected readonly networks = computed(() => this.store.rules()?.assets.find((a) => a.asset === this.asset())?.networks.map((n) => n.name) ?? []);
  /** The saved addresses for the chosen stablecoin and network (those not yet usable shown, disabled, with why). */
  protected readonly addressesHere = computed(() => this.addressBook.addresses().filter((a) => a.asset === this.asset() && a.network === this.network()));
  protected readonly usableHere = computed(() => this.addressesHere().filter((a) => a.status === 'usable'));
  protected readonly chosenAddress = computed(() => this.addressesHere().find((a) => a.id === this.addressId()) ?? null);
  /** Beyond the schema: not more than the dollars available. */
  protected readonly amountCheck = computed<FieldCheck | null>(() => {
    const available = this.usdAvailable();
    if (!available) return null;
    return (value) => (compareDecimals(value, available) > 0 ? $localize`That is more than the ${this.format.money(available, 'USD', 'balance')}:AVAILABLE: available` : null);
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopTimer());
    effect((onCleanup) => {
      const h = this.hold();
      if (!h) return;
      // setTimeout takes at most 2^31-1 ms (about 24.8 days); a longer hold re-arms when that fires.
      const timer = setTimeout(() => this.holdClock.set(Date.now()), Math.min(Math.max(0, Date.parse(h.until) - Date.now()) + 250, 2_147_000_000));
      onCleanup(() => clearTimeout(timer));
    });
    // Until the owner picks one, the network is one with a usable saved address (else the default), as the rules and
    // the address book come in; and a usable address of it is chosen.
    effect(() => {
      if (!this.networkPicked && this.networks().length) {
        const preferred = this.preferredNetwork();
        if (preferred !== this.network()) this.network.set(preferred);
      }
      const usable = this.usableHere();
      if (!usable.some((a) => a.id === this.addressId())) this.addressId.set(usable[0]?.id ?? '');
    });
  }

  ngOnInit(): void {
    if (this.twoFactorOn()) {
      if (!this.store.rules()) void this.store.loadRules().catch(() => undefined);
      void this.addressBook.load().catch(() => undefined);
    }
  }

  protected setAmount(value: string): void {
    this.amount.set(value);
    this.dropQuote();
  }

  protected pickAsset(asset: CashOutAsset): void {
    this.asset.set(asset);
    this.pickNetwork(this.preferredNetwork());
  }

  protected pickNetwork(network: WithdrawalNetwork | ''): void {
    this.networkPicked = true;
    this.network.set(network);
    this.addressId.set(this.usableHere()[0]?.id ?? '');
    this.errors.clear();
    this.dropQuote();
  }

  protected shortAddress(address: string): string {
    return address.length > 20 ? `${address.slice(0, 10)}…${address.slice(-8)}` : address;
  }

  protected statusText(a: WithdrawalAddressDto): string {
    return addressStatusText(a, (iso) => this.format.date(iso));
  }

  /** Asks for a quote once every field holds what the API takes. */
  protected async getQuote(form: NgForm): Promise<void> {
    this.errors.clear();
    this.created.set(null);
    if (!readyToSend(form)) return;
    await this.requestQuote();
  }

  protected refreshQuote(): Promise<void> {
    this.errors.clear();
    return this.requestQuote();
  }

  protected confirm(form: NgForm): Promise<void> {
    return this.send(form, [], async () => ({ twoFactorCode: this.twoFactorCode.trim() }));
  }

  /** The same cash-out confirmed by one of the account's passkeys instead of a code (a challenge bound to this session). */
  protected confirmWithPasskey(form: NgForm): Promise<void> {
    return this.send(form, ['twoFactorCode'], async () => ({ passkey: await this.passkeys.confirmationAssertion() }));
  }

  protected dropQuote(): void {
    this.quote.set(null);
    this.expiredByServer.set(false);
    this.twoFactorCode = '';
    this.stopTimer();
  }

  private async requestQuote(): Promise<void> {
    this.busy.set(true);
    try {
      const q = await this.store.cashOutQuote({ usdAmount: readDecimal(this.amount(), this.format), asset: this.asset(), network: this.network() || undefined });
      this.showQuote(q);
    } catch (err) {
      this.dropQuote();
      const e = ApiError.from(err);
      // "Cash out at least $12.52: …" says why and what would do: the amount's message.
      if (e.code === 'BELOW_MINIMUM') this.errors.setField('usdAmount', e.message);
      else this.errors.set(err, CODE_FIELDS);
    } finally {
      this.busy.set(false);
    }
  }

  /** Sends the quote on screen (never a new price: exactly what it shows) once the code field holds what the API takes. */
  private async send(form: NgForm, unused: string[], secondFactor: () => Promise<{ twoFactorCode: string } | { passkey: PasskeyAssertionDto }>): Promise<void> {
    const q = this.quote();
    if (!q || this.expired()) return;
    this.errors.clear();
    if (!readyToSend(form, unused)) return;
    if (!this.addressId()) {
      this.errors.setField('addressId', $localize`Choose one of your saved addresses`);
      return;
    }
    if (!unused.includes('twoFactorCode') && !this.twoFactorCode.trim()) {
      this.errors.setField('twoFactorCode', $localize`Enter the 6-digit code from your authenticator app, or confirm with a passkey`);
      return;
    }
    this.busy.set(true);
    try {
      const factor = await secondFactor();
      // Sent in time (a passkey can take a while): the server's answer decides, and the page waits for it.
      this.settling.set(!this.expired());
      const w = await this.store.cashOut({ quoteId: q.id, addressId: this.addressId(), ...factor }, crypto.randomUUID());
      this.dropQuote();
      this.amount.set('');
      // Keep the stablecoin, network and address; clear the amount (and its "submitted" state).
      this.quoteForm()?.resetForm({ usdAmount: '', asset: this.asset(), network: this.network(), addressId: this.addressId() });
      this.created.set(w);
    } catch (err) {
      const e = this.errors.set(err, CODE_FIELDS);
      if (e.code === 'QUOTE_EXPIRED') this.expiredByServer.set(true);
      if (e.code === 'TWO_FACTOR_NOT_ENABLED' || e.code === 'SECURITY_HOLD') await this.session.reload();
      // The address's state changed meanwhile (removed, still held): show it as it is now.
      if (e.code.startsWith('ADDRESS_')) await this.addressBook.load().catch(() => undefined);
    } finally {
      this.settling.set(false);
      this.busy.set(false);
    }
  }

  /** A network of the chosen stablecoin with a usable saved address, else its default. */
  private preferredNetwork(): WithdrawalNetwork | '' {
    const networks = this.networks();
    const usable = new Set(this.addressBook.addresses().filter((a) => a.asset === this.asset() && a.status === 'usable').map((a) => a.network));
    return networks.find((n) => usable.has(n)) ?? networks[0] ?? '';
  }

  private showQuote(q: CashOutQuoteDto): void {
    this.stopTimer();
    this.deadline = Date.now() + q.validForMs;
    this.now.set(Date.now());
    this.expiredByServer.set(false);
    this.quote.set(q);
    // Four ticks a second keep the whole seconds shown close to the truth; the timer stops once the quote is over.
    this.timer = setInterval(() => {
      this.now.set(Date.now());
      if (this.secondsLeft() === 0) this.stopTimer();
    }, 250);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
