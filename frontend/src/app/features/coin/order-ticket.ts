import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, inject, input, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { createOrder } from '../../api/fn/orders/create-order';
import { CreateOrderDtoConstraints } from '../../api/constraints';
import type { CreateOrderDto, OrderDto, OrderSide, OrderType } from '../../api/models';
import { SessionStore } from '../../core/auth/session.store';
import { silentErrors } from '../../core/http/http-context';
import { SCHEMA_FIELDS, fieldRule, readDecimal, readyToSend } from '../../core/forms/schema-validation';
import { DisplayFormat, QtyPipe, UsdPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';

/**
 * Shown as an estimate only: the server prices and charges the order (0.1 % of notional by default).
 * A market buy by USD amount spends that amount in total, fee included; a sell by USD amount sells that value and deducts the fee.
 */
const ESTIMATED_FEE_RATE = 0.001;

@Component({
  selector: 'cv-order-ticket',
  imports: [FormsModule, SCHEMA_FIELDS, RouterLink, MatButtonModule, MatButtonToggleModule, MatFormFieldModule, MatInputModule, UsdPipe, QtyPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './order-ticket.scss',
  template: `
    <section class="ticket">
      <h2 i18n>Trade {{ symbol() }}</h2>
      @if (!session.signedIn()) {
        <p i18n><a routerLink="/login" [queryParams]="{ returnUrl: returnUrl() }">Log in</a> to trade.</p>
      } @else if (placed(); as o) {
        <div class="done" role="status">
          <strong i18n>{o.status, select, open {Order open} filled {Order filled} cancelled {Order cancelled} rejected {Order rejected} other {Order {{ o.status }}}}</strong>
          <p>
            @if (o.filledPrice) {
              <ng-container i18n>{o.side, select, buy {Buy} sell {Sell}} {{ o.quantity | qty: o.symbol }} ({o.type, select, market {market} limit {limit} stop {stop}}) at {{ o.filledPrice | usd: 'price' }}</ng-container>
            } @else {
              <ng-container i18n>{o.side, select, buy {Buy} sell {Sell}} {{ o.quantity | qty: o.symbol }} ({o.type, select, market {market} limit {limit} stop {stop}})</ng-container>
            }
            @if (o.fee) { · <ng-container i18n>fee {{ o.fee | qty: o.feeAsset }}</ng-container> }
          </p>
          <button i18n mat-button type="button" (click)="reset()">New order</button>
        </div>
      } @else {
        <form class="order" #f="ngForm" (ngSubmit)="startReview(f)">
        <mat-button-toggle-group class="full" [value]="side()" (change)="side.set($event.value); review.set(false)" aria-label="Side" i18n-aria-label>
          <mat-button-toggle i18n value="buy" class="buy">Buy</mat-button-toggle>
          <mat-button-toggle i18n value="sell" class="sell">Sell</mat-button-toggle>
        </mat-button-toggle-group>
        <mat-button-toggle-group class="full" [value]="type()" (change)="type.set($event.value); review.set(false)" aria-label="Order type" i18n-aria-label>
          <mat-button-toggle i18n value="market">Market</mat-button-toggle>
          <mat-button-toggle i18n value="limit">Limit</mat-button-toggle>
          <mat-button-toggle i18n value="stop">Stop</mat-button-toggle>
        </mat-button-toggle-group>

        @if (type() !== 'market') {
          <mat-form-field class="full" subscriptSizing="dynamic">
            @if (type() === 'limit') {
              <mat-label i18n>Limit price (USD)</mat-label>
            } @else {
              <mat-label i18n>Stop price (USD)</mat-label>
            }
            <input matInput name="triggerPrice" inputmode="decimal" autocomplete="off" required #trigger="ngModel"
              [cvField]="type() === 'limit' ? fields.limitPrice : fields.stopPrice" [cvServerError]="errors.fields()[type() === 'limit' ? 'limitPrice' : 'stopPrice']"
              [ngModel]="triggerPrice()" (ngModelChange)="triggerPrice.set($event); review.set(false)" />
            <mat-error>{{ trigger.errors | fieldError }}</mat-error>
          </mat-form-field>
        }

        <mat-button-toggle-group class="full small" [value]="mode()" (change)="mode.set($event.value); review.set(false)" aria-label="Amount in" i18n-aria-label>
          <mat-button-toggle i18n value="quantity">Quantity ({{ symbol() }})</mat-button-toggle>
          <mat-button-toggle i18n value="usd">Amount (USD)</mat-button-toggle>
        </mat-button-toggle-group>
        <mat-form-field class="full" subscriptSizing="dynamic">
          @if (mode() === 'quantity') {
            <mat-label i18n>Quantity in {{ symbol() }}</mat-label>
          } @else {
            <mat-label i18n>Amount in USD</mat-label>
          }
          <input matInput name="amount" inputmode="decimal" autocomplete="off" required #amountModel="ngModel"
            [cvField]="mode() === 'quantity' ? fields.quantity : fields.quoteAmount" [cvServerError]="errors.fields()[mode() === 'quantity' ? 'quantity' : 'quoteAmount']"
            [ngModel]="amount()" (ngModelChange)="amount.set($event); review.set(false)" />
          <mat-error>{{ amountModel.errors | fieldError }}</mat-error>
          @if (mode() === 'usd' && type() === 'market' && side() === 'buy') {
            <mat-hint i18n>Total you pay, fee included</mat-hint>
          } @else if (mode() === 'usd' && type() === 'market') {
            <mat-hint i18n>Value you sell; the fee is deducted from it</mat-hint>
          }
        </mat-form-field>

        <dl class="estimate">
          @if (type() === 'market') {
            <dt i18n>Live price</dt>
          } @else {
            <dt i18n>Order price</dt>
          }
          <dd>{{ refPrice() | usd: 'price' }}</dd>
          <dt i18n>Quantity</dt>
          <dd>{{ estQty() | qty: symbol() }}</dd>
          @if (side() === 'buy') {
            <dt i18n>Estimated cost</dt>
          } @else {
            <dt i18n>Estimated proceeds</dt>
          }
          <dd>{{ estNotional() | usd }}</dd>
          <dt i18n>Estimated fee (0.1 %)</dt>
          <dd>{{ estFee() | usd }}</dd>
          @if (side() === 'buy') {
            <dt i18n>Total you pay</dt>
          } @else {
            <dt i18n>You receive</dt>
          }
          <dd>{{ estTotal() | usd }}</dd>
        </dl>
        @if (type() === 'market') {
          <p i18n class="muted small">Market orders fill at the live price when the server receives them; the final price may differ.</p>
        }
        @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }

        @if (!review()) {
          <button i18n mat-flat-button type="submit" class="full">Review order</button>
        } @else {
          <div class="confirm" role="group" aria-label="Confirm order" i18n-aria-label>
            <!-- One sentence for the translators: the side, the amount, the price rule and what it costs or yields. -->
            <p i18n><strong>{side(), select, buy {Buy} sell {Sell}}</strong>
              {mode(), select, quantity {{{ amountValue() | qty: symbol() }}} usd {{{ amountValue() | usd }} of {{ symbol() }}}}
              {type(), select, market {at market} limit {with a limit at {{ triggerValue() | usd: 'price' }}} stop {with a stop at {{ triggerValue() | usd: 'price' }}}}
              {costLine(), select, total {— {{ amountValue() | usd }} in total, fee included (about {{ estNotional() | usd }} of {{ symbol() }} and {{ estFee() | usd }} fee).} buy {— about {{ estNotional() | usd }} plus {{ estFee() | usd }} fee.} sell {— about {{ estNotional() | usd }} minus {{ estFee() | usd }} fee.}}</p>
            <div class="actions">
              <button i18n mat-button type="button" (click)="review.set(false)" [disabled]="busy()">Edit</button>
              <button mat-flat-button type="button" [class]="side()" (click)="confirm()" [disabled]="busy()">
                @if (side() === 'buy') {
                  <ng-container i18n>Confirm buy</ng-container>
                } @else {
                  <ng-container i18n>Confirm sell</ng-container>
                }
              </button>
            </div>
          </div>
        }
        </form>
      }
    </section>
  `,
})
export class OrderTicket {
  private readonly api = inject(Api);
  protected readonly session = inject(SessionStore);

  readonly symbol = input.required<string>();
  readonly livePrice = input<string | null>(null);
  readonly returnUrl = input<string>('/markets');

  protected readonly side = signal<OrderSide>('buy');
  protected readonly type = signal<OrderType>('market');
  protected readonly mode = signal<'quantity' | 'usd'>('usd');
  protected readonly amount = signal('');
  protected readonly triggerPrice = signal('');
  protected readonly review = signal(false);
  protected readonly busy = signal(false);
  protected readonly placed = signal<OrderDto | null>(null);
  protected readonly errors = new FormErrors(['quantity', 'quoteAmount', 'limitPrice', 'stopPrice']);
  private readonly format = inject(DisplayFormat);
  /** The API's rules for the fields, and how messages name them. */
  protected readonly fields = {
    quantity: fieldRule(CreateOrderDtoConstraints.quantity, { label: $localize`:A field named in messages like "Enter a quantity like 250 or 0.5":a quantity` }),
    quoteAmount: fieldRule(CreateOrderDtoConstraints.quoteAmount, { label: $localize`:A field named in messages like "Enter an amount in USD like 250 or 0.5":an amount in USD` }),
    limitPrice: fieldRule(CreateOrderDtoConstraints.limitPrice, { label: $localize`:A field named in messages like "Enter a limit price like 250 or 0.5":a limit price` }),
    stopPrice: fieldRule(CreateOrderDtoConstraints.stopPrice, { label: $localize`:A field named in messages like "Enter a stop price like 250 or 0.5":a stop price` }),
  };
  /** The amount and the limit or stop price as the API takes them ("0,5" typed in German is "0.5"). */
  protected readonly amountValue = computed(() => readDecimal(this.amount(), this.format));
  protected readonly triggerValue = computed(() => readDecimal(this.triggerPrice(), this.format));
  private idempotencyKey = '';
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly injector = inject(Injector);

  /**
   * Opens the ticket on `side` (the coin page's Buy/Sell bar on a phone): a placed order's receipt gives way to a new
   * order, the ticket scrolls into view and the cursor goes to its first field (the
   * price of a limit or stop order, else the amount).
   */
  start(side: OrderSide): void {
    if (this.placed()) this.reset();
    this.side.set(side);
    this.review.set(false);
    this.host.scrollIntoView({ block: 'start' });
    afterNextRender(() => this.host.querySelector<HTMLInputElement>('input')?.focus({ preventScroll: true }), { injector: this.injector });
  }

  protected readonly refPrice = computed(() => {
    const p = this.type() === 'market' ? this.livePrice() : this.triggerValue();
    const n = Number(p);
    return p && Number.isFinite(n) && n > 0 ? n : null;
  });
  /** A market buy by USD amount: the amount is the total, fee included (the server's rule: notional + fee ≤ amount). */
  private readonly totalIncludesFee = computed(() => this.mode() === 'usd' && this.side() === 'buy' && this.type() === 'market');
  /** Which cost clause the confirmation states: the total with the fee in it, or the notional plus (buy) or minus (sell) the fee. */
  protected readonly costLine = computed(() => (this.totalIncludesFee() ? 'total' : this.side()));
  protected readonly estNotional = computed(() => {
    const a = Number(this.amountValue());
    if (!this.amountValue() || !Number.isFinite(a)) return null;
    const p = this.refPrice();
    if (this.mode() === 'usd') return this.totalIncludesFee() ? a / (1 + ESTIMATED_FEE_RATE) : a;
    return p ? a * p : null;
  });
  protected readonly estQty = computed(() => {
    const a = Number(this.amountValue());
    const p = this.refPrice();
    const n = this.estNotional();
    if (!this.amountValue() || !Number.isFinite(a)) return null;
    return this.mode() === 'quantity' ? a : p && n !== null ? n / p : null;
  });
  protected readonly estFee = computed(() => {
    const n = this.estNotional();
    return n === null ? null : n * ESTIMATED_FEE_RATE;
  });
  /** What leaves the balance on a buy (notional + fee), what arrives on a sell (notional − fee). */
  protected readonly estTotal = computed(() => {
    const n = this.estNotional();
    const f = this.estFee();
    if (n === null || f === null) return null;
    return this.side() === 'buy' ? n + f : n - f;
  });

  /** Review: only once every field holds what the API takes (each field says what is wrong with it otherwise). */
  protected startReview(form: NgForm): void {
    if (!readyToSend(form)) return;
    this.errors.clear();
    this.idempotencyKey = crypto.randomUUID();
    this.review.set(true);
  }

  protected async confirm(): Promise<void> {
    this.busy.set(true);
    this.errors.clear();
    const body: CreateOrderDto = { symbol: this.symbol(), side: this.side(), type: this.type() };
    if (this.mode() === 'quantity') body.quantity = this.amountValue();
    else body.quoteAmount = this.amountValue();
    if (this.type() === 'limit') body.limitPrice = this.triggerValue();
    if (this.type() === 'stop') body.stopPrice = this.triggerValue();
    try {
      const res = await this.api.invoke(createOrder, { 'Idempotency-Key': this.idempotencyKey, body }, silentErrors());
      this.placed.set(res.order);
    } catch (err) {
      this.errors.set(err);
      this.review.set(false);
    } finally {
      this.busy.set(false);
    }
  }

  protected reset(): void {
    this.placed.set(null);
    this.amount.set('');
    this.triggerPrice.set('');
    this.review.set(false);
  }
}
