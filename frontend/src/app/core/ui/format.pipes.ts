import { ChangeDetectionStrategy, Component, DestroyRef, Injectable, LOCALE_ID, Pipe, PipeTransform, computed, inject, input, signal } from '@angular/core';
import { activeRate, type DisplayRate, toDisplay } from '../i18n/display-currency';
import { type DateStyle, type Decimalish, exact, type FormatOptions, Formatter, type MoneyMode, humanProse } from './format';

export { trend } from './format';

/**
 * The app's formatter: the display locale (LOCALE_ID) and the browser's time
 * zone. Every pipe, component and chart below formats through it.
 */
@Injectable({ providedIn: 'root' })
export class DisplayFormat extends Formatter {
  /** The currency valuations are shown in, and its rate per US dollar (see core/i18n/display-currency). */
  readonly rate: DisplayRate = activeRate();

  constructor() {
    super({ locale: inject(LOCALE_ID) });
  }

  /** A valuation given in US dollars, shown in the display currency: "$1,234.56", or "1.174,44 €" in German and EUR. */
  value(usd: Decimalish, mode: MoneyMode = 'plain', options: FormatOptions = {}): string {
    const e = exact(usd);
    if (e === null) return this.money(null);
    return this.money(typeof e === 'number' ? toDisplay(String(e), this.rate) : toDisplay(e, this.rate), this.rate.currency, mode, options);
  }
}

/**
 * A valuation (a price, a value, a gain) in the display currency:
 * `{{ h.value | value }}`, `{{ p | value: 'price' }}`, `{{ pnl | value: 'plain': true }}`.
 * What the API takes or charges in dollars (order amounts, fees, limits, a USD balance) stays `usd`.
 */
@Pipe({ name: 'value' })
export class ValuePipe implements PipeTransform {
  private readonly f = inject(DisplayFormat);
  transform(v: Decimalish, mode: MoneyMode = 'plain', signed = false): string {
    return this.f.value(v, mode, { signed });
  }
}

/** Money in US dollars: `{{ v | usd }}`, `{{ v | usd: 'price' }}`, `{{ v | usd: 'compact' }}`, `{{ v | usd: 'plain': true }}` (signed). */
@Pipe({ name: 'usd' })
export class UsdPipe implements PipeTransform {
  private readonly f = inject(DisplayFormat);
  transform(v: Decimalish, mode: MoneyMode = 'plain', signed = false): string {
    return this.f.money(v, 'USD', mode, { signed });
  }
}

/** A quantity trimmed to display precision, rounded down: `{{ v | qty: 'BTC' }}` → "0.00960732 BTC" (`{{ v | qty: 'USD' }}` → "$1.00"). */
@Pipe({ name: 'qty' })
export class QtyPipe implements PipeTransform {
  private readonly f = inject(DisplayFormat);
  transform(v: Decimalish, asset?: string | null, signed = false): string {
    return asset ? this.f.amount(v, asset, { signed }) : this.f.quantity(v, null, undefined, { signed });
  }
}

/** A ledger amount in its own asset, fiat or crypto: `{{ v | amount: b.asset }}`. */
@Pipe({ name: 'amount' })
export class AmountPipe implements PipeTransform {
  private readonly f = inject(DisplayFormat);
  transform(v: Decimalish, asset: string, signed = false): string {
    return this.f.amount(v, asset, { signed });
  }
}

/** A percentage in percent units: `{{ '1.8464' | pct }}` → "+1.85%". */
@Pipe({ name: 'pct' })
export class PctPipe implements PipeTransform {
  private readonly f = inject(DisplayFormat);
  transform(v: Decimalish, signed = true): string {
    return this.f.percent(v, signed);
  }
}

/** A moment in the user's locale and time zone: `{{ t | when }}`, `{{ t | when: 'date' }}`. */
@Pipe({ name: 'when' })
export class WhenPipe implements PipeTransform {
  private readonly f = inject(DisplayFormat);
  transform(v: string | number | Date | null | undefined, style: DateStyle = 'datetime'): string {
    return this.f.date(v, style);
  }
}

/**
 * An amount with every digit one hover or copy away: shows the trimmed figure
 * ("0.00960732 BTC"), its title holds the full value, and copying it (or a
 * selection inside it) copies the full value without grouping, ready to paste
 * into an amount field.
 */
@Component({
  selector: 'cv-amount',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span class="cv-amount" [attr.title]="title()" (copy)="copy($event)">{{ text() }}</span>`,
  styles: `
    :host {
      white-space: nowrap;
    }
  `,
})
export class AmountComponent {
  private readonly f = inject(DisplayFormat);
  readonly value = input.required<Decimalish>();
  readonly asset = input.required<string>();
  readonly signed = input(false);
  /** Leave the asset out (a column already names it). */
  readonly bare = input(false);

  protected readonly text = computed(() => {
    const text = this.f.amount(this.value(), this.asset(), { signed: this.signed() });
    return this.bare() ? text.replace(new RegExp(` ${this.asset()}$`), '') : text;
  });
  protected readonly title = computed(() => (this.f.isTrimmed(this.value(), this.asset()) ? this.f.full(this.value(), this.asset()) : null));

  protected copy(event: ClipboardEvent): void {
    const v = this.value();
    if (typeof v !== 'string' || !event.clipboardData) return;
    event.clipboardData.setData('text/plain', v);
    event.preventDefault();
  }
}

/** A shared clock that ticks every 30 s, so relative times stay true on a page left open. */
@Injectable({ providedIn: 'root' })
export class Clock {
  readonly now = signal(Date.now());
  private timer: ReturnType<typeof setInterval> | null = null;
  private users = 0;

  use(destroyRef: DestroyRef): void {
    if (this.users++ === 0) this.timer = setInterval(() => this.now.set(Date.now()), 30_000);
    destroyRef.onDestroy(() => {
      if (--this.users === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    });
  }
}

/**
 * A moment for people: `<cv-time [at]="t" />` reads "5 minutes ago" (the
 * exact date and time on hover), `<cv-time [at]="t" format="date" />` reads
 * "Dec 2, 2026". The machine-readable value stays in the datetime attribute.
 */
@Component({
  selector: 'cv-time',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<time [attr.datetime]="iso()" [attr.title]="title()">{{ text() }}</time>`,
})
export class TimeComponent {
  private readonly f = inject(DisplayFormat);
  private readonly clock = inject(Clock);
  readonly at = input.required<string | number | Date | null | undefined>();
  readonly format = input<DateStyle | 'relative'>('relative');

  constructor() {
    this.clock.use(inject(DestroyRef));
  }

  private readonly date = computed(() => {
    const v = this.at();
    const d = v === null || v === undefined || v === '' ? null : new Date(v);
    return d && !Number.isNaN(d.getTime()) ? d : null;
  });
  protected readonly iso = computed(() => this.date()?.toISOString() ?? null);
  protected readonly text = computed(() => {
    const format = this.format();
    return format === 'relative' ? this.f.relative(this.date(), this.clock.now()) : this.f.date(this.date(), format);
  });
  protected readonly title = computed(() => (this.format() === 'relative' && this.date() ? this.f.date(this.date(), 'datetime-seconds') : null));
}


/** A plain figure with grouping (counts, supplies): `{{ v | num: 0 }}` → "19,876,543". */
@Pipe({ name: 'num' })
export class NumPipe implements PipeTransform {
  private readonly f = inject(DisplayFormat);
  transform(v: Decimalish, maxDecimals = 2): string {
    return this.f.plain(v, maxDecimals);
  }
}

/** Server prose with its figures, times and ids made human (see humanProse): `{{ n.body | prose }}`. */
@Pipe({ name: 'prose' })
export class ProsePipe implements PipeTransform {
  private readonly f = inject(DisplayFormat);
  transform(text: string | null | undefined): string {
    return humanProse(text, this.f);
  }
}
