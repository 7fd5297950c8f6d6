import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { createOrder } from '../../api/fn/orders/create-order';
import { getOrderTerms } from '../../api/fn/orders/get-order-terms';
import { CreateOrderDtoConstraints } from '../../api/constraints';
import type { CreateOrderDto, OrderDto, OrderSide, OrderTermsDto, OrderType } from '../../api/models';
import { SessionStore } from '../../core/auth/session.store';
import { silentErrors } from '../../core/http/http-context';
import { type FieldCheck, SCHEMA_FIELDS, fieldRule, readDecimal, readyToSend } from '../../core/forms/schema-validation';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { whenBumped } from '../../core/notifications/when-bumped';
import { compareDecimals, isPlainDecimal } from '../../core/ui/decimal';
import { AmountComponent, DisplayFormat, PctPipe, QtyPipe, UsdPipe } from '../../core/ui/format.pipes';
import { FormErrors } from '../auth/form-errors';
import { type OrderQuote, maxAmount, mul, quoteOrder } from './order-pricing';

/**
 * The order ticket: what an order costs, fee included, priced as the server will price it (order-pricing.ts mirrors
 * the server's rules on decimal strings), against what the user has (GET /api/orders/terms); refused here, with one
 * message under the amount, when the balance does not pay for it.
 */
@Component({
  selector: 'cv-order-ticket',
  imports: [FormsModule, SCHEMA_FIELDS, RouterLink, MatButtonModule, MatButtonToggleModule, MatFormFieldModule, MatInputModule, UsdPipe, QtyPipe, PctPipe, AmountComponent],
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
            [cvField]="mode() === 'quantity' ? fields.quantity : fields.quoteAmount" [cvFieldCheck]="amountCheck()"
            [cvServerError]="errors.fields()[mode() === 'quantity' ? 'quantity' : 'quoteAmount']"
            [ngModel]="amount()" (ngModelChange)="amount.set($event); review.set(false)" />
          <mat-error>{{ amountModel.errors | fieldError }}</mat-error>
          @if (mode() === 'usd' && side() === 'buy') {
            <mat-hint i18n>Total you pay, fee included</mat-hint>
          } @else if (mode() === 'usd') {
            <mat-hint i18n>Value you sell; the fee is deducted from it</mat-hint>
          }
        </mat-form-field>
        @if (terms(); as t) {
          <div class="available" data-testid="available">
            <span i18n>Available: <cv-amount [value]="side() === 'buy' ? t.usdAvailable : t.assetAvailable" [asset]="side() === 'buy' ? 'USD' : symbol()" /></span>
            <button i18n mat-button type="button" class="max" (click)="fillMax()" [disabled]="!maxAmount()">Max</button>
          </div>
        } @else if (session.signedIn()) {
          <!-- Its place, kept while the balances load: what is below (the figures, the page's links) does not move under a tap. -->
          <div class="available" data-testid="available-pending"></div>
        }

        <dl class="estimate" data-testid="figures">
          @if (type() === 'market') {
            <dt i18n>Live price</dt>
          } @else {
            <dt i18n>Order price</dt>
          }
          <dd data-testid="figure-price" [attr.data-value]="quote()?.price">{{ refPrice() | usd: 'price' }}</dd>
          <dt i18n>Quantity</dt>
          <dd data-testid="figure-quantity" [attr.data-value]="quote()?.quantity" [attr.title]="exact(quote()?.quantity, symbol())">
            @if (quote()?.quantityAtFill) {
              <ng-container i18n>≈{{ quote()?.quantity | qty: symbol() }}, set when it fills</ng-container>
            } @else {
              {{ quote()?.quantity | qty: symbol() }}
            }
          </dd>
          <dt i18n>Fee ({{ feePercent() | pct: false }})</dt>
          <dd data-testid="figure-fee" [attr.data-value]="quote()?.fee" [attr.title]="exact(quote()?.fee, 'USD')">{{ quote()?.fee | usd }}</dd>
          @if (side() === 'buy') {
            <dt i18n>Total you pay</dt>
          } @else {
            <dt i18n>You receive</dt>
          }
          <dd data-testid="figure-total" [attr.data-value]="quote()?.total" [attr.title]="exact(quote()?.total, 'USD')">{{ quote()?.total | usd }}</dd>
        </dl>
        @if (type() === 'market') {
          <p i18n class="muted small">Market orders fill at the live price when the server receives them; the final price may differ.</p>
        } @else if (side() === 'buy') {
          <p i18n class="muted small">The total is held until the order fills or is cancelled; a fill at a better price costs less.</p>
        }
        @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }

        @if (!review()) {
          <button i18n mat-flat-button type="submit" class="full">Review order</button>
        } @else {
          <div class="confirm" role="group" aria-label="Confirm order" i18n-aria-label>
            @if (quote()?.quantityAtFill) {
              <p i18n><strong>Buy</strong> {{ symbol() }} for {{ amountValue() | usd }} when the price reaches {{ triggerValue() | usd: 'price' }}.</p>
            } @else {
              <!-- One sentence for the translators: the side, the quantity and the price rule. -->
              <p i18n><strong>{side(), select, buy {Buy} sell {Sell}}</strong> {{ quote()?.quantity | qty: symbol() }} {type(), select, market {at market} limit {with a limit at {{ triggerValue() | usd: 'price' }}} stop {with a stop at {{ triggerValue() | usd: 'price' }}}}.</p>
            }
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
  /** The server's fee rate, quantity precision, minimum and the user's balances of both sides (GET /api/orders/terms). */
  protected readonly terms = signal<OrderTermsDto | null>(null);
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
  /** Answers of a load that a later one replaced are dropped. */
  private termsRequest = 0;

  constructor() {
    effect(() => {
      const symbol = this.symbol();
      if (this.session.signedIn()) untracked(() => void this.loadTerms(symbol));
      else this.terms.set(null);
    });
    // A fill, a cancel, a deposit or a withdrawal elsewhere changes what the user has.
    const events = inject(UserEventsStore);
    whenBumped(events.ordersChanged, () => void this.loadTerms(this.symbol()));
    whenBumped(events.walletChanged, () => void this.loadTerms(this.symbol()));
  }

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

  /** The price the order is priced at: the live quote (market) or the limit or stop price typed; null without one. */
  protected readonly refPrice = computed(() => {
    const p = this.type() === 'market' ? this.livePrice() : this.triggerValue();
    return p && isPlainDecimal(p) && compareDecimals(p, '0') > 0 ? p : null;
  });
  /** The order as the server will post it (order-pricing.ts mirrors the server's rules); null while it cannot be priced. */
  protected readonly quote = computed(() => this.quoteFor(this.amountValue()));
  /** The fee rate in percent units ("0.1" for 0.1 %), for the fee's label. */
  protected readonly feePercent = computed(() => {
    const t = this.terms();
    return t ? mul(t.feeRate, '100', 8, 'down') : null;
  });
  /** The most the amount field can hold for this side, type and mode (what the balance pays for, fee included). */
  protected readonly maxAmount = computed(() => {
    const t = this.terms();
    if (!t) return null;
    const max = maxAmount({ side: this.side(), type: this.type(), mode: this.mode(), price: this.refPrice() }, t);
    return max && compareDecimals(max, '0') > 0 ? max : null;
  });
  /**
   * Whether the server would take the amount, beyond its format: an order that buys or sells at least the minimum
   * notional, and that the balance pays for (what it holds or spends now, as the server computes it). One message,
   * in the amount field's slot.
   */
  protected readonly amountCheck = computed<FieldCheck>(() => {
    const t = this.terms();
    const price = this.refPrice();
    const side = this.side();
    const type = this.type();
    const mode = this.mode();
    const symbol = this.symbol();
    return (value) => {
      if (!t || !price || !isPlainDecimal(value)) return null;
      const q = quoteOrder({ side, type, mode, amount: value, price }, t);
      const value$ = q ? (type === 'market' ? q.notional : mul(q.quantity, price, 8, 'down')) : '0';
      if (compareDecimals(value$, t.minNotional) < 0) return $localize`The order is too small: its value must be at least ${this.format.money(t.minNotional)}:MIN:`;
      const available = side === 'buy' ? t.usdAvailable : t.assetAvailable;
      const asset = side === 'buy' ? 'USD' : symbol;
      if (q && compareDecimals(q.pays, available) > 0) {
        return $localize`Not enough ${asset}:ASSET: for this order: it needs ${this.format.amount(q.pays, asset)}:NEEDED:, you have ${this.format.amount(available, asset)}:AVAILABLE:`;
      }
      return null;
    };
  });

  private quoteFor(amount: string): OrderQuote | null {
    const t = this.terms();
    const price = this.refPrice();
    if (!t || !price || !isPlainDecimal(amount)) return null;
    return quoteOrder({ side: this.side(), type: this.type(), mode: this.mode(), amount, price }, t);
  }

  /** Every digit of a figure the ticket rounds for display (on hover). */
  protected exact(v: string | null | undefined, asset: string): string | null {
    return v && this.format.isTrimmed(v, asset) ? this.format.full(v, asset) : null;
  }

  /** Fills the amount with the most the balance pays for, written as the reader writes numbers ("0,5" in German). */
  protected fillMax(): void {
    const max = this.maxAmount();
    if (!max) return;
    const separator = new Intl.NumberFormat(this.format.locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
    this.amount.set(max.replace('.', separator));
    this.review.set(false);
    this.errors.clear();
  }

  private async loadTerms(symbol: string): Promise<void> {
    const request = ++this.termsRequest;
    try {
      const res = await this.api.invoke(getOrderTerms, { symbol }, silentErrors());
      if (request === this.termsRequest) this.terms.set(res.terms);
    } catch {
      // Without them the ticket still works: the server prices and checks the order.
      if (request === this.termsRequest) this.terms.set(null);
    }
  }

  /** Review: only once every field holds what the API takes and the balance pays for it (each field says what is wrong otherwise). */
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
      void this.loadTerms(this.symbol());
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
