import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, computed, inject, input, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { CreateConvertQuoteDtoConstraints } from '../../api/constraints';
import type { ConversionDto, ConvertQuoteDto } from '../../api/models';
import { type FieldCheck, SCHEMA_FIELDS, choiceRule, fieldRule, readDecimal, readyToSend } from '../../core/forms/schema-validation';
import { ApiError } from '../../core/http/api-error';
import { AssetCatalogue } from '../../core/prices/asset-catalogue';
import { CardTable } from '../../core/ui/card-table';
import { compareDecimals } from '../../core/ui/decimal';
import { AmountComponent, DisplayFormat, QtyPipe, UsdPipe, WhenPipe } from '../../core/ui/format.pipes';
import { Skeleton } from '../../core/ui/skeleton';
import { FormErrors } from '../auth/form-errors';
import { ConvertStore } from './convert.store';

const CASH = 'USD';
const POSITIVE = /[1-9]/;
/** Refusals without `details`, shown on the field they are about. */
const CODE_FIELDS = { INSUFFICIENT_FUNDS: 'amount', MIN_NOTIONAL: 'amount', UNKNOWN_ASSET: 'to' };

interface AssetOption {
  asset: string;
  name: string;
  /** What the wallet holds available of it (null: none). */
  available: string | null;
}

/**
 * Convert one asset into another (USD included), as Coinbase's Convert: pick what to give and what to get, an
 * amount to give (fee included), "Get quote" → the server's quote, locked for a few seconds (a visible countdown),
 * "Convert" settles exactly that quote; once it has expired, "Refresh quote" asks for a new one. The fee is the
 * trading fee, taken from what is given; there is no spread.
 */
@Component({
  selector: 'cv-convert-page',
  imports: [FormsModule, SCHEMA_FIELDS, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule, AmountComponent, QtyPipe, UsdPipe, WhenPipe, CardTable, Skeleton],
  providers: [ConvertStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './convert.page.scss',
  template: `
    <div class="page">
      <h1 i18n>Convert</h1>
      <p i18n class="muted intro">Swap one asset for another at a locked price. The trading fee (0.1 %) is taken from what you give; there is no spread.</p>

      <div class="panel">
        @if (done(); as c) {
          <div class="result" role="status" data-testid="convert-result">
            <h2 i18n>Converted</h2>
            <p i18n>You gave <strong><cv-amount [value]="c.give" [asset]="c.from" /></strong> and received <strong><cv-amount [value]="c.receive" [asset]="c.to" /></strong> (fee <cv-amount [value]="c.fee" [asset]="c.feeAsset" />).</p>
            <button i18n mat-flat-button type="button" (click)="startOver()">New conversion</button>
          </div>
        } @else if (!store.wallet() && store.walletLoading()) {
          <cv-skeleton shape="block" [height]="220" />
        } @else if (store.wallet() && !fromOptions().length) {
          <p i18n class="muted">You have nothing to convert yet. <a routerLink="/wallet">Make a deposit in your wallet</a> first.</p>
        } @else {
          <form class="form" #f="ngForm" (ngSubmit)="getQuote(f)" aria-label="Convert" i18n-aria-label>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label i18n>From</mat-label>
              <mat-select name="from" required #fromModel="ngModel" [cvField]="fields.from" [cvServerError]="errors.fields()['from']"
                [ngModel]="from()" (ngModelChange)="pickFrom($event)">
                @for (o of fromOptions(); track o.asset) {
                  <mat-option i18n [value]="o.asset">{{ o.asset }} ({{ o.available | qty: o.asset }} available)</mat-option>
                }
              </mat-select>
              <mat-error>{{ fromModel.errors | fieldError }}</mat-error>
            </mat-form-field>
            <div class="swap">
              <button mat-stroked-button type="button" (click)="swap()" [disabled]="!canSwap()" aria-label="Swap the two assets" i18n-aria-label>⇅</button>
            </div>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label i18n>To</mat-label>
              <mat-select name="to" required #toModel="ngModel" [cvField]="fields.to" [cvServerError]="errors.fields()['to']"
                [ngModel]="to()" (ngModelChange)="pickTo($event)">
                @for (o of toOptions(); track o.asset) {
                  @if (o.available) {
                    <mat-option i18n [value]="o.asset">{{ o.asset }} ({{ o.available | qty: o.asset }} available)</mat-option>
                  } @else {
                    <mat-option [value]="o.asset">{{ o.asset }} · {{ o.name }}</mat-option>
                  }
                }
              </mat-select>
              <mat-error>{{ toModel.errors | fieldError }}</mat-error>
            </mat-form-field>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label>{{ amountLabel() }}</mat-label>
              <input matInput name="amount" inputmode="decimal" autocomplete="off" required #amountModel="ngModel"
                [cvField]="fields.amount" [cvFieldCheck]="amountCheck()" [cvServerError]="errors.fields()['amount']"
                [ngModel]="amount()" (ngModelChange)="setAmount($event)" />
              <mat-error>{{ amountModel.errors | fieldError }}</mat-error>
              <mat-hint i18n>What you give, fee included</mat-hint>
            </mat-form-field>
            @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
            @if (!quote()) {
              <button i18n mat-flat-button type="submit" [disabled]="busy()">Get quote</button>
            }
          </form>

          @if (quote(); as q) {
            <section class="quote" aria-labelledby="quote-title" data-testid="convert-quote">
              <h2 i18n id="quote-title">Your quote</h2>
              <dl>
                <dt i18n>Rate</dt>
                <dd data-testid="quote-rate">
                  @if (q.from === 'USD') {
                    <ng-container i18n>1 {{ q.to }} = {{ q.toPrice | usd: 'price' }}</ng-container>
                  } @else if (q.to === 'USD') {
                    <ng-container i18n>1 {{ q.from }} = {{ q.fromPrice | usd: 'price' }}</ng-container>
                  } @else {
                    <ng-container i18n>1 {{ q.from }} = {{ q.rate | qty: q.to }}</ng-container>
                  }
                </dd>
                <dt i18n>You give</dt>
                <dd><cv-amount [value]="q.give" [asset]="q.from" /></dd>
                <dt i18n>Fee</dt>
                <dd>
                  <cv-amount [value]="q.fee" [asset]="q.feeAsset" />
                  @if (q.feeAsset !== 'USD') { <span class="muted"> ({{ q.feeUsd | usd }})</span> }
                </dd>
                <dt i18n>You receive</dt>
                <dd data-testid="quote-receive"><strong><cv-amount [value]="q.receive" [asset]="q.to" /></strong></dd>
              </dl>
              @if (!expired()) {
                <p class="countdown" role="timer" data-testid="quote-countdown">
                  @if (settling() && secondsLeft() === 0) {
                    <ng-container i18n>Sent in time: confirming at this price…</ng-container>
                  } @else {
                    <ng-container i18n>{secondsLeft(), plural, =1 {This price is held for 1 more second.} other {This price is held for {{ secondsLeft() }} more seconds.}}</ng-container>
                  }
                </p>
                <div class="actions">
                  <button i18n mat-button type="button" [disabled]="busy()" (click)="dropQuote()">Cancel</button>
                  <button i18n mat-flat-button type="button" [disabled]="busy()" (click)="convert()">Convert</button>
                </div>
              } @else {
                <p i18n class="countdown" data-testid="quote-expired">This quote has expired. Get a new one at the current price.</p>
                <div class="actions">
                  <button i18n mat-button type="button" [disabled]="busy()" (click)="dropQuote()">Cancel</button>
                  <button i18n mat-flat-button type="button" [disabled]="busy()" (click)="refreshQuote()">Refresh quote</button>
                </div>
              }
            </section>
          }
        }
      </div>

      <section aria-labelledby="convert-history">
        <h2 i18n id="convert-history">Your conversions</h2>
        <div class="table-wrap">
          <table class="data" data-testid="convert-history">
            <thead>
              <tr><th i18n>Date</th><th i18n class="num">You gave</th><th i18n class="num">You received</th><th i18n class="num">Fee</th></tr>
            </thead>
            <tbody>
              @for (c of store.history(); track c.id) {
                <tr>
                  <td>{{ c.settledAt | when }}</td>
                  <td class="num"><cv-amount [value]="c.give" [asset]="c.from" /></td>
                  <td class="num"><cv-amount [value]="c.receive" [asset]="c.to" /></td>
                  <td class="num"><cv-amount [value]="c.fee" [asset]="c.feeAsset" /></td>
                </tr>
              } @empty {
                <tr>
                  <td colspan="4" class="muted">
                    @if (store.historyLoading()) {
                      <cv-skeleton [count]="2" />
                    } @else {
                      <ng-container i18n>No conversions yet.</ng-container>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
        @if (store.historyCursor()) {
          <button i18n mat-stroked-button type="button" class="more" [disabled]="store.historyLoading()" (click)="store.moreHistory()">Load more</button>
        }
      </section>
    </div>
  `,
})
export class ConvertPage implements OnInit {
  protected readonly store = inject(ConvertStore);
  private readonly catalogue = inject(AssetCatalogue);
  private readonly format = inject(DisplayFormat);

  /** `/convert?from=BTC&to=ETH` (the coin page's "Convert" link) preselects the pair. */
  readonly fromParam = input<string | undefined>(undefined, { alias: 'from' });
  readonly toParam = input<string | undefined>(undefined, { alias: 'to' });
  protected readonly from = signal('');
  protected readonly to = signal('');
  protected readonly amount = signal('');
  protected readonly busy = signal(false);
  protected readonly quote = signal<ConvertQuoteDto | null>(null);
  protected readonly done = signal<ConversionDto | null>(null);
  protected readonly errors = new FormErrors(['from', 'to', 'amount']);
  protected readonly fields = {
    from: choiceRule(CreateConvertQuoteDtoConstraints.from, { label: $localize`an asset`, missing: $localize`Choose what to convert` }),
    to: choiceRule(CreateConvertQuoteDtoConstraints.to, { label: $localize`an asset`, missing: $localize`Choose what to convert to` }),
    amount: fieldRule(CreateConvertQuoteDtoConstraints.amount, {
      label: $localize`:A field named in messages like "Enter an amount to convert like 250 or 0.5":an amount to convert`,
    }),
  };

  /** When the quote on screen stops being good (this browser's clock: the server's `validForMs` from receipt). */
  private deadline = 0;
  /** Set by the server: the quote was refused as expired though this clock still counted. */
  private readonly expiredByServer = signal(false);
  private readonly now = signal(Date.now());
  private timer: ReturnType<typeof setInterval> | undefined;
  /** One per quote: settling it twice (a double click, a retry) answers the same conversion. */
  private idempotencyKey = '';

  protected readonly secondsLeft = computed(() => Math.max(0, Math.ceil((this.deadline - this.now()) / 1000)));
  /**
   * The quote on screen was sent to be settled and no answer has come yet. Its clock may run out meanwhile, but the
   * server decides (it was sent in time): the page says it is confirming, not that the quote expired.
   */
  protected readonly settling = signal(false);
  protected readonly expired = computed(() => this.quote() !== null && !this.settling() && (this.expiredByServer() || this.secondsLeft() === 0));

  private readonly balances = computed(() => new Map((this.store.wallet()?.balances ?? []).map((b) => [b.asset, b.available])));
  /** What can be given: the assets with something available, USD first. */
  protected readonly fromOptions = computed<AssetOption[]>(() =>
    [...this.balances()]
      .filter(([, available]) => POSITIVE.test(available))
      .map(([asset, available]) => ({ asset, name: this.nameOf(asset), available }))
      .sort((a, b) => (a.asset === CASH ? -1 : b.asset === CASH ? 1 : a.asset.localeCompare(b.asset))),
  );
  /** What can be received: USD and every listed asset but the one given. */
  protected readonly toOptions = computed<AssetOption[]>(() => {
    const held = this.balances();
    const assets = [{ symbol: CASH, name: this.nameOf(CASH) }, ...this.catalogue.assets()];
    return assets
      .filter((a) => a.symbol !== this.from())
      .map((a) => ({ asset: a.symbol, name: a.name, available: held.get(a.symbol) && POSITIVE.test(held.get(a.symbol)!) ? held.get(a.symbol)! : null }));
  });
  protected readonly canSwap = computed(() => !!this.from() && !!this.to() && this.fromOptions().some((o) => o.asset === this.to()));

  protected readonly amountLabel = computed(() => (this.from() ? $localize`Amount (${this.from()}:asset:)` : $localize`Amount`));
  /** Beyond the schema: not more than is available of the asset given. */
  protected readonly amountCheck = computed<FieldCheck | null>(() => {
    const asset = this.from();
    const available = this.balances().get(asset);
    if (!asset || !available) return null;
    return (value) => (compareDecimals(value, available) > 0 ? $localize`That is more than the ${this.format.full(available, asset)}:AVAILABLE: available` : null);
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopTimer());
  }

  ngOnInit(): void {
    const from = this.fromParam()?.toUpperCase();
    const to = this.toParam()?.toUpperCase();
    if (from) this.pickFrom(from);
    if (to && to !== from) this.pickTo(to);
    void this.catalogue.load();
    void this.store.refresh().catch(() => undefined);
  }

  protected pickFrom(asset: string): void {
    this.from.set(asset);
    if (this.to() === asset) this.to.set('');
    this.dropQuote();
  }

  protected pickTo(asset: string): void {
    this.to.set(asset);
    this.dropQuote();
  }

  protected setAmount(value: string): void {
    this.amount.set(value);
    this.dropQuote();
  }

  protected swap(): void {
    const from = this.from();
    this.from.set(this.to());
    this.to.set(from);
    this.amount.set('');
    this.dropQuote();
  }

  /** Asks for a quote once every field holds what the API takes. */
  protected async getQuote(form: NgForm): Promise<void> {
    this.errors.clear();
    if (!readyToSend(form)) return;
    await this.requestQuote();
  }

  protected refreshQuote(): Promise<void> {
    this.errors.clear();
    return this.requestQuote();
  }

  private async requestQuote(): Promise<void> {
    this.busy.set(true);
    try {
      const q = await this.store.quote(this.from(), this.to(), readDecimal(this.amount(), this.format));
      this.showQuote(q);
    } catch (err) {
      this.dropQuote();
      this.errors.set(err, CODE_FIELDS);
    } finally {
      this.busy.set(false);
    }
  }

  /** Settles the quote on screen (never a new price: exactly what it shows). */
  protected async convert(): Promise<void> {
    const q = this.quote();
    if (!q || this.expired()) return;
    this.busy.set(true);
    this.settling.set(true);
    this.errors.clear();
    try {
      const conversion = await this.store.settle(q.id, this.idempotencyKey);
      this.dropQuote();
      this.done.set(conversion);
    } catch (err) {
      const e = ApiError.from(err);
      if (e.code === 'QUOTE_EXPIRED') {
        this.expiredByServer.set(true);
        this.errors.set(err);
      } else {
        this.dropQuote();
        this.errors.set(err, CODE_FIELDS);
      }
    } finally {
      this.settling.set(false);
      this.busy.set(false);
    }
  }

  protected dropQuote(): void {
    this.quote.set(null);
    this.expiredByServer.set(false);
    this.stopTimer();
  }

  protected startOver(): void {
    this.done.set(null);
    this.amount.set('');
    this.errors.clear();
  }

  private showQuote(q: ConvertQuoteDto): void {
    this.stopTimer();
    this.deadline = Date.now() + q.validForMs;
    this.now.set(Date.now());
    this.idempotencyKey = crypto.randomUUID();
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

  private nameOf(asset: string): string {
    if (asset === CASH) return $localize`US dollar`;
    return this.catalogue.assets().find((a) => a.symbol === asset)?.name ?? asset;
  }
}
