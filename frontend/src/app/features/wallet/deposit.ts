import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { CreateDepositDtoConstraints } from '../../api/constraints';
import type { DepositAsset, DepositCurrency, DepositStatus } from '../../api/models';
import { SCHEMA_FIELDS, fieldRule, readDecimal, readyToSend } from '../../core/forms/schema-validation';
import { compareDecimals, decimalPlaces } from '../../core/ui/decimal';
import { DisplayFormat, QtyPipe, TimeComponent, UsdPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { DepositCountdown } from './deposit-countdown';
import { DepositQr } from './deposit-qr';
import { depositStatusText } from './wallet-labels';
import { FINAL_DEPOSIT_STATUSES, WalletStore } from './wallet.store';

const URI_SCHEMES: Partial<Record<DepositCurrency, string>> = { btc: 'bitcoin', ltc: 'litecoin', eth: 'ethereum' };
/** What a USD deposit is paid with: a dollar stablecoin, so what is paid is worth what is credited. */
const STABLECOINS: readonly DepositCurrency[] = ['usdt', 'usdc'];
/** How often the shown deposit is read again while the provider moves it (its credit also arrives on /ws/user). */
export const DEPOSIT_POLL_MS = 10_000;

/** The steps a payment goes through, as the provider reports them. */
const STEPS = ['waiting', 'confirming', 'confirmed', 'finished'] as const;
type Step = (typeof STEPS)[number];

/** How far a deposit in `status` has come: the index of its current step (STEPS.length when all are done), or null off the way. */
export function depositStep(status: DepositStatus): number | null {
  switch (status) {
    case 'waiting':
      return 0;
    case 'confirming':
      return 1;
    case 'confirmed':
    case 'sending':
      return 2;
    case 'partially_paid':
      return 3;
    case 'finished':
      return STEPS.length;
    default:
      return null;
  }
}

/** a ÷ b for positive decimal strings, truncated to `scale` decimals (a rate shown before paying). */
export function divideDecimals(a: string, b: string, scale = 10): string {
  const places = Math.max(decimalPlaces(a), decimalPlaces(b));
  const int = (v: string) => BigInt(v.replace('.', '') + '0'.repeat(places - decimalPlaces(v)));
  const q = (int(a) * 10n ** BigInt(scale)) / int(b);
  const s = q.toString().padStart(scale + 1, '0');
  return `${s.slice(0, -scale)}.${s.slice(-scale)}`;
}

/**
 * The deposit form and the deposit being paid. What to deposit is chosen first: US dollars, paid in a dollar
 * stablecoin and credited as dollars, or a crypto asset, paid in that asset and credited as itself (nothing sold).
 * Then: the QR code of the payment, the exact amount and the address with copy buttons, what will be credited,
 * the time left to pay, and the payment's steps as the provider reports them.
 */
@Component({
  selector: 'cv-deposit',
  imports: [FormsModule, SCHEMA_FIELDS, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, UsdPipe, QtyPipe, TimeComponent, DepositQr, DepositCountdown],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './deposit.scss',
  template: `
    @if (store.deposit(); as d) {
      <section class="deposit" data-testid="deposit">
        <cv-deposit-qr [value]="paymentUri()" />
        <dl>
          <dt i18n>Send exactly</dt>
          <dd class="with-copy">
            <strong data-testid="pay-amount">{{ format.full(d.payAmount, d.currency.toUpperCase()) }}</strong>
            <button mat-stroked-button type="button" (click)="copy('amount', d.payAmount)">
              @if (copied() === 'amount') { <span i18n>Copied</span> } @else { <span i18n>Copy amount</span> }
            </button>
          </dd>
          <dt i18n>To address</dt>
          <dd class="with-copy">
            <code class="address" data-testid="pay-address">{{ d.payAddress }}</code>
            <button mat-stroked-button type="button" (click)="copy('address', d.payAddress)">
              @if (copied() === 'address') { <span i18n>Copied</span> } @else { <span i18n>Copy address</span> }
            </button>
          </dd>
          <dt i18n>Credited to your wallet</dt>
          <dd data-testid="credited">
            @if (d.asset === 'USD') {
              <span i18n>{{ d.amount | usd }} in US dollars</span>
            } @else {
              <span i18n>{{ d.amount | qty: d.asset }}, as {{ d.asset }} (nothing is sold or converted)</span>
            }
          </dd>
          @if (rate(); as r) {
            <dt i18n>Rate</dt>
            <dd i18n>1 {{ d.currency.toUpperCase() }} = {{ r | usd: 'price' }}</dd>
          }
          @if (creditedSoFar(); as c) {
            <dt i18n>Credited so far</dt>
            <dd>{{ c | qty: d.asset }}</dd>
          }
          @if (d.status === 'waiting') {
            <dt i18n>Time left to pay</dt>
            <dd><cv-deposit-countdown [until]="d.expiresAt" /> (<cv-time [at]="d.expiresAt" format="time" />)</dd>
          }
          <dt i18n>Provider</dt>
          <dd>{{ d.provider }}</dd>
        </dl>
        <span class="visually-hidden" role="status">{{ copiedNote() }}</span>
        @if (copyProblem(); as m) { <p class="error-text" role="alert">{{ m }}</p> }

        @if (step() !== null) {
          <ol class="steps" i18n-aria-label aria-label="Payment progress">
            @for (s of steps; track s; let i = $index) {
              <li [class.done]="i < step()!" [class.current]="i === step()" [attr.aria-current]="i === step() ? 'step' : null">
                <span class="mark" aria-hidden="true">{{ i < step()! ? '✓' : i + 1 }}</span>
                <span>{{ stepText(s) }}</span>
              </li>
            }
          </ol>
        }
        @switch (d.status) {
          @case ('partially_paid') {
            <p class="note" i18n>Paid in part: what arrived has been credited. If the rest arrives at the same address, it is credited too.</p>
          }
          @case ('finished') {
            <p class="note" i18n>The payment arrived and has been credited to your wallet.</p>
          }
          @case ('waiting') {}
          @case ('confirming') {}
          @case ('confirmed') {}
          @case ('sending') {}
          @default {
            <p class="note" i18n>This deposit is {{ statusText(d.status) }}: nothing more will be credited for it.</p>
          }
        }
        <div class="actions">
          @if (d.provider === 'sandbox' && d.status !== 'finished') {
            <button i18n mat-flat-button type="button" (click)="simulate()" [disabled]="busy()">Simulate payment</button>
          }
          <button i18n mat-button type="button" (click)="store.clearDeposit()">New deposit</button>
        </div>
        @if (d.provider === 'sandbox') {
          <p i18n class="muted">Sandbox: no real payment is possible; "Simulate payment" sends the provider's signed confirmation through the real webhook.</p>
        }
      </section>
    } @else {
      <form class="form" #depositForm="ngForm" (ngSubmit)="createDeposit(depositForm)">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>What to deposit</mat-label>
          <mat-select name="depositAsset" required [(ngModel)]="asset">
            @for (a of assets; track a) {
              <mat-option [value]="a">{{ a === 'USD' ? usdLabel : a }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        @if (asset === 'USD') {
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Amount (USD)</mat-label>
            <input matInput name="amount" inputmode="decimal" autocomplete="off" required #amountModel="ngModel"
              [cvField]="fields.amount" [cvServerError]="errors.fields()['amount']" [(ngModel)]="amount" />
            <mat-error>{{ amountModel.errors | fieldError }}</mat-error>
            <mat-hint>{{ amountRange }}</mat-hint>
          </mat-form-field>
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Pay with</mat-label>
            <mat-select name="currency" required #currencyModel="ngModel" [cvField]="fields.currency" [cvServerError]="errors.fields()['currency']" [(ngModel)]="currency">
              @for (c of stablecoins; track c) {
                <mat-option [value]="c">{{ c.toUpperCase() }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ currencyModel.errors | fieldError }}</mat-error>
          </mat-form-field>
          <p class="explain" i18n>You send USDT or USDC, dollar stablecoins, and the dollars you enter are credited to your wallet. How much to send, at the provider's rate, is shown before you pay.</p>
        } @else {
          <mat-form-field subscriptSizing="dynamic">
            <mat-label i18n>Quantity ({{ asset }})</mat-label>
            <input matInput name="quantity" inputmode="decimal" autocomplete="off" required #quantityModel="ngModel"
              [cvField]="fields.quantity" [cvServerError]="errors.fields()['quantity']" [(ngModel)]="quantity" />
            <mat-error>{{ quantityModel.errors | fieldError }}</mat-error>
            <mat-hint>{{ quantityRange }}</mat-hint>
          </mat-form-field>
          <p class="explain" i18n>You send {{ asset }} and the {{ asset }} that arrives is credited to your wallet as {{ asset }}: nothing is sold or converted.</p>
        }
        @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
        <button i18n mat-flat-button type="submit" [disabled]="busy()">Create deposit</button>
      </form>
    }
  `,
})
export class DepositSection {
  protected readonly store = inject(WalletStore);
  protected readonly format = inject(DisplayFormat);
  protected readonly assets = CreateDepositDtoConstraints.asset.enum;
  protected readonly stablecoins = STABLECOINS;
  protected readonly steps = STEPS;
  protected readonly usdLabel = $localize`:the deposit choice credited as dollars:US dollars (USD)`;
  protected asset: DepositAsset = 'USD';
  protected amount = '100';
  protected quantity = '';
  protected currency: DepositCurrency = 'usdt';
  protected readonly busy = signal(false);
  protected readonly copied = signal<'amount' | 'address' | null>(null);
  protected readonly copyProblem = signal<string | null>(null);
  protected readonly errors = new FormErrors(['amount', 'quantity', 'currency']);
  /** The API's rules for the deposit's fields, and how messages name them. */
  protected readonly fields = {
    amount: fieldRule(
      { ...CreateDepositDtoConstraints.amount, required: true },
      { label: $localize`:A field named in messages like "Enter an amount like 250 or 0.5":an amount` },
    ),
    quantity: fieldRule(
      { ...CreateDepositDtoConstraints.quantity, required: true },
      { label: $localize`:A field named in messages like "Enter a quantity like 250 or 0.5":a quantity` },
    ),
    currency: fieldRule(CreateDepositDtoConstraints.currency, { label: $localize`a currency`, missing: $localize`Choose what you pay with` }),
  };
  /** The smallest and largest deposit, as the API states them: "From $10.00 to $100,000.00". */
  protected readonly amountRange = $localize`From ${this.format.money(this.fields.amount.constraints.decimal?.min, 'USD')}:MIN: to ${this.format.money(this.fields.amount.constraints.decimal?.max, 'USD')}:MAX:`;
  /** A deposit in kind's bounds, in dollars at the market price: "Worth $10.00 to $100,000.00 at the market price". */
  protected readonly quantityRange = $localize`Worth ${this.format.money(this.fields.amount.constraints.decimal?.min, 'USD')}:MIN: to ${this.format.money(this.fields.amount.constraints.decimal?.max, 'USD')}:MAX: at the market price`;
  protected readonly statusText = depositStatusText;

  protected readonly paymentUri = computed(() => {
    const d = this.store.deposit();
    if (!d) return '';
    const scheme = URI_SCHEMES[d.currency];
    return scheme ? `${scheme}:${d.payAddress}?amount=${d.payAmount}` : d.payAddress;
  });
  protected readonly step = computed(() => {
    const d = this.store.deposit();
    return d ? depositStep(d.status) : null;
  });
  /** Dollars per unit paid, for a USD deposit: its price over the amount to send. */
  protected readonly rate = computed(() => {
    const d = this.store.deposit();
    if (!d || d.asset !== 'USD' || compareDecimals(d.payAmount, '0') <= 0) return null;
    return divideDecimals(d.amount, d.payAmount);
  });
  protected readonly creditedSoFar = computed(() => {
    const d = this.store.deposit();
    return d && d.status !== 'finished' && compareDecimals(d.creditedAmount ?? '0', '0') > 0 ? d.creditedAmount : null;
  });
  protected readonly copiedNote = computed(() =>
    this.copied() === 'amount' ? $localize`Amount copied` : this.copied() === 'address' ? $localize`Address copied` : '',
  );

  private copiedTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    void this.store.restoreDeposit();
    // While the provider moves the shown deposit, read it again now and then.
    const poll = setInterval(() => {
      const d = this.store.deposit();
      if (d && !FINAL_DEPOSIT_STATUSES.has(d.status)) void this.store.refreshDeposit().catch(() => undefined);
    }, DEPOSIT_POLL_MS);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(poll);
      if (this.copiedTimer) clearTimeout(this.copiedTimer);
    });
    // A new deposit starts with nothing copied.
    const orderId = computed(() => this.store.deposit()?.orderId ?? null);
    effect(() => {
      orderId();
      this.copied.set(null);
      this.copyProblem.set(null);
    });
  }

  protected stepText(step: Step): string {
    switch (step) {
      case 'waiting':
        return $localize`:deposit step:Waiting for payment`;
      case 'confirming':
        return $localize`:deposit step:Confirming on the network`;
      case 'confirmed':
        return $localize`:deposit step:Confirmed`;
      case 'finished':
        return $localize`:deposit step:Credited`;
    }
  }

  protected async copy(what: 'amount' | 'address', text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      this.copyProblem.set($localize`The browser did not allow copying: select the text and copy it.`);
      return;
    }
    this.copyProblem.set(null);
    this.copied.set(what);
    if (this.copiedTimer) clearTimeout(this.copiedTimer);
    this.copiedTimer = setTimeout(() => this.copied.set(null), 4000);
  }

  protected async createDeposit(form: NgForm): Promise<void> {
    this.errors.clear();
    if (!readyToSend(form)) return;
    this.busy.set(true);
    try {
      const body =
        this.asset === 'USD'
          ? { asset: this.asset, amount: readDecimal(this.amount, this.format), currency: this.currency }
          : { asset: this.asset, quantity: readDecimal(this.quantity, this.format) };
      await this.store.createDeposit(body);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }

  protected async simulate(): Promise<void> {
    this.busy.set(true);
    try {
      await this.store.simulatePayment();
    } catch {
      /* the error interceptor has shown it */
    } finally {
      this.busy.set(false);
    }
  }
}
