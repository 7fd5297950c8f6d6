/**
 * The one formatting layer for what a person reads: money, quantities,
 * percentages and dates, in the display locale and time zone. API amounts are
 * decimal strings and stay strings: Intl.NumberFormat formats a numeric string
 * exactly (ES2023), so no figure ever passes through a float on its way to the
 * screen. Every template, chart axis and tooltip goes through a `Formatter`.
 */

/** Currencies shown with a currency sign and two decimals; everything else is a crypto asset. */
export const FIAT = new Set(['USD', 'EUR', 'GBP']);

/** The most decimals a crypto quantity is shown with (the full value is on hover and copy). */
export const MAX_DISPLAY_DECIMALS = 8;

const DECIMAL = /^-?\d+(\.\d+)?$/;
const DASH = '—';

export type Decimalish = string | number | null | undefined;

/** How a money figure is rounded and laid out. */
export type MoneyMode =
  /** A value or total: two decimals, rounded half-up. */
  | 'plain'
  /** A balance, or what can be spent: two decimals, rounded down (never more than there is). */
  | 'balance'
  /** A unit price: cents, or 4 significant digits below a dollar (a coin worth fractions of a cent stays readable). */
  | 'price'
  /** Big figures (market cap, volume): "$2.08T". */
  | 'compact';

export type DateStyle = 'date' | 'datetime' | 'datetime-seconds' | 'time';

export interface FormatOptions {
  /** "+1.50" for gains, "-1.50" for losses. */
  signed?: boolean;
}

/** The value Intl formats: the decimal string itself (exact) or a finite number; null when it is neither. */
export function exact(v: Decimalish): string | number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || !DECIMAL.test(v)) return null;
  return v;
}

/** A float, only for comparisons (sign, magnitude) and chart geometry, never for what is shown. */
export function approx(v: Decimalish): number | null {
  const e = exact(v);
  return e === null ? null : Number(e);
}

/** 'up' | 'down' | '' for colouring a signed value. */
export function trend(v: Decimalish): string {
  const n = approx(v);
  return n === null || n === 0 ? '' : n > 0 ? 'up' : 'down';
}

/** Whether `v` is zero (any number of zero digits). */
function isZero(v: string | number): boolean {
  return typeof v === 'number' ? v === 0 : /^-?0*(\.0*)?$/.test(v);
}

function isNegative(v: string | number): boolean {
  return typeof v === 'number' ? v < 0 : v.startsWith('-') && !isZero(v);
}

function abs(v: string | number): string | number {
  return typeof v === 'number' ? Math.abs(v) : v.replace(/^-/, '');
}

/** Intl's format typed for numeric strings (the DOM lib still types it number | bigint). */
function fmt(f: Intl.NumberFormat, v: string | number): string {
  return f.format(v as number);
}

/** Decimals for a unit price: 2 from a dollar up; below, enough for 4 significant digits, at most 8. */
function priceDecimals(v: string | number): number {
  const text = typeof v === 'number' ? Math.abs(v).toFixed(20) : v.replace(/^-/, '');
  const [int, frac = ''] = text.split('.');
  if (/[1-9]/.test(int) || !/[1-9]/.test(frac)) return 2;
  const zeros = frac.length - frac.replace(/^0+/, '').length;
  return Math.min(8, Math.max(2, zeros + 4));
}

export interface FormatterConfig {
  /** BCP 47 locale, e.g. "en-US", "de-DE". */
  locale: string;
  /** IANA time zone; the browser's when undefined. */
  timeZone?: string;
}

/**
 * Formats for one locale and time zone. Intl objects are built once per
 * shape and reused (building one costs far more than using it).
 */
export class Formatter {
  readonly locale: string;
  readonly timeZone: string | undefined;
  private readonly numbers = new Map<string, Intl.NumberFormat>();
  private readonly dates = new Map<DateStyle, Intl.DateTimeFormat>();
  private relativeFormat: Intl.RelativeTimeFormat | null = null;

  constructor(config: FormatterConfig) {
    this.locale = config.locale;
    this.timeZone = config.timeZone;
  }

  private number(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
    let f = this.numbers.get(key);
    if (!f) {
      f = new Intl.NumberFormat(this.locale, options);
      this.numbers.set(key, f);
    }
    return f;
  }

  /** A fiat amount with its currency sign: "$1,234.56", "1.234,56 €". */
  money(v: Decimalish, currency = 'USD', mode: MoneyMode = 'plain', options: FormatOptions = {}): string {
    const e = exact(v);
    if (e === null) return DASH;
    const sign: Intl.NumberFormatOptions['signDisplay'] = options.signed ? 'exceptZero' : 'auto';
    if (mode === 'compact') {
      return fmt(this.number(`c|${currency}|${sign}`, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 2, signDisplay: sign }), e);
    }
    const rounding: Intl.NumberFormatOptions['roundingMode'] = mode === 'balance' ? 'trunc' : 'halfExpand';
    // A price below a dollar keeps 4 significant digits (up to 8 decimals): "$0.9983", "$0.00001234", never "$0.00".
    const places = mode === 'price' ? priceDecimals(e) : 2;
    const f = this.number(`m|${currency}|${places}|${rounding}|${sign}`, {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: places,
      roundingMode: rounding,
      signDisplay: sign,
    });
    const out = fmt(f, e);
    // A balance of a fraction of a cent is not "$0.00" to its owner: say it is below a cent.
    if (mode === 'balance' && !isZero(e) && isZero(fmt(this.number('digits', { useGrouping: false, maximumFractionDigits: 2, roundingMode: 'trunc' }), abs(e)))) {
      return `< ${fmt(f, isNegative(e) ? '-0.01' : '0.01')}`;
    }
    return out;
  }

  /**
   * A crypto quantity trimmed to the asset's display precision (at most 8
   * decimals), rounded down so it never shows more than there is, trailing
   * zeros dropped: "0.00960732 BTC". A non-zero amount below the precision
   * reads "< 0.00000001 BTC", never "0".
   */
  quantity(v: Decimalish, asset?: string | null, decimals = MAX_DISPLAY_DECIMALS, options: FormatOptions = {}): string {
    const e = exact(v);
    if (e === null) return DASH;
    const places = Math.max(0, Math.min(decimals, MAX_DISPLAY_DECIMALS));
    const sign: Intl.NumberFormatOptions['signDisplay'] = options.signed ? 'exceptZero' : 'auto';
    const f = this.number(`q|${places}|${sign}`, { maximumFractionDigits: places, roundingMode: 'trunc', signDisplay: sign });
    let text = fmt(f, e);
    if (!isZero(e) && isZero(fmt(this.number(`q0|${places}`, { useGrouping: false, maximumFractionDigits: places, roundingMode: 'trunc' }), abs(e)))) {
      const step = places === 0 ? '1' : `0.${'0'.repeat(places - 1)}1`;
      text = `< ${fmt(f, isNegative(e) ? `-${step}` : step)}`;
    }
    return asset ? `${text} ${asset}` : text;
  }

  /** Any ledger amount in its own asset: fiat as money (a balance: rounded down), crypto as a quantity. */
  amount(v: Decimalish, asset: string, options: FormatOptions = {}): string {
    return FIAT.has(asset) ? this.money(v, asset, 'balance', options) : this.quantity(v, asset, MAX_DISPLAY_DECIMALS, options);
  }

  /** Every digit the value has, grouped, for hover and copy: "0.009607329703437802 BTC". */
  full(v: Decimalish, asset?: string | null): string {
    const e = exact(v);
    if (e === null) return DASH;
    const text = fmt(this.number('full', { maximumFractionDigits: 20 }), e);
    return asset ? `${text} ${asset}` : text;
  }

  /** Whether `quantity`/`amount` drops digits of `v` (so the full value is worth a tooltip). */
  isTrimmed(v: Decimalish, asset: string): boolean {
    const e = exact(v);
    if (e === null || typeof e === 'number') return false;
    const frac = e.split('.')[1]?.replace(/0+$/, '') ?? '';
    return frac.length > (FIAT.has(asset) ? 2 : MAX_DISPLAY_DECIMALS);
  }

  /** A plain number with grouping (counts, supplies): "19,876,543". */
  plain(v: Decimalish, maxDecimals = 2): string {
    const e = exact(v);
    return e === null ? DASH : fmt(this.number(`p|${maxDecimals}`, { maximumFractionDigits: maxDecimals }), e);
  }

  /**
   * A decimal string with exactly the digits it is written with, trailing zeros kept, for limits and examples in
   * messages: "100000000000000" → "100,000,000,000,000" ("100.000.000.000.000" in German), "12.50" → "12.50" ("12,50");
   * ungrouped (`grouped` false) for what a person should type: "70000", "0,5".
   */
  digits(v: Decimalish, grouped = true): string {
    const e = exact(v);
    if (e === null) return DASH;
    const places = typeof e === 'string' ? (e.split('.')[1]?.length ?? 0) : undefined;
    const f = this.number(`d|${places}|${grouped}`, { minimumFractionDigits: places, maximumFractionDigits: places ?? 20, useGrouping: grouped });
    return fmt(f, e);
  }

  /** A percentage given in percent units ("1.8464" is 1.85 %): "+1.85%", in German "+1,85 %". */
  percent(v: Decimalish, signed = true): string {
    const e = exact(v);
    if (e === null) return DASH;
    const f = this.number(`pct|${signed}`, {
      style: 'unit',
      unit: 'percent',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
      signDisplay: signed ? 'exceptZero' : 'auto',
    });
    return fmt(f, e);
  }

  /** A moment as the user reads it: "Dec 2, 2026" / "Dec 2, 2026, 12:04 AM" / "12:04 AM", in their time zone. */
  date(v: string | number | Date | null | undefined, style: DateStyle = 'datetime'): string {
    const d = toDate(v);
    if (!d) return DASH;
    let f = this.dates.get(style);
    if (!f) {
      const shape: Intl.DateTimeFormatOptions =
        style === 'date'
          ? { dateStyle: 'medium' }
          : style === 'time'
            ? { timeStyle: 'short' }
            : style === 'datetime-seconds'
              ? { dateStyle: 'medium', timeStyle: 'medium' }
              : { dateStyle: 'medium', timeStyle: 'short' };
      f = new Intl.DateTimeFormat(this.locale, { ...shape, timeZone: this.timeZone });
      this.dates.set(style, f);
    }
    return f.format(d);
  }

  /** A short axis label: "Dec 2" or "14:05" (charts). */
  axisDate(v: Date, withTime: boolean): string {
    const key = withTime ? 'axis-time' : 'axis-date';
    let f = this.dates.get(key as DateStyle);
    if (!f) {
      f = new Intl.DateTimeFormat(
        this.locale,
        withTime ? { hour: 'numeric', minute: '2-digit', timeZone: this.timeZone } : { month: 'short', day: 'numeric', timeZone: this.timeZone },
      );
      this.dates.set(key as DateStyle, f);
    }
    return f.format(v);
  }

  /** How long ago (or until) a moment, relative to `now`: "now", "5 minutes ago", "in 2 hours", "yesterday"; a week or more reads as a date. */
  relative(v: string | number | Date | null | undefined, now: number = Date.now()): string {
    const d = toDate(v);
    if (!d) return DASH;
    const seconds = Math.round((d.getTime() - now) / 1000);
    const size = Math.abs(seconds);
    if (size >= 7 * 86_400) return this.date(d, 'date');
    this.relativeFormat ??= new Intl.RelativeTimeFormat(this.locale, { numeric: 'auto' });
    const rtf = this.relativeFormat;
    if (size < 45) return rtf.format(0, 'second');
    if (size < 3_600) return rtf.format(Math.round(seconds / 60), 'minute');
    if (size < 86_400) return rtf.format(Math.round(seconds / 3_600), 'hour');
    return rtf.format(Math.round(seconds / 86_400), 'day');
  }
}

const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g;
const UUID = /\s?\(?\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b\)?/gi;
const AMOUNT = /(?<![\d:.,])(≈)?(-?\d+(?:\.\d+)?) ([A-Z][A-Z0-9]{2,9})\b/g;

/**
 * Server prose (a notification, a journal description) as a person reads
 * it: texts stored by earlier releases carry raw figures ("104087.19497179
 * USD"), ISO timestamps and ids; figures go through the formatter, times
 * become local dates, ids are dropped (the links and data keep them).
 */
export function humanProse(text: string | null | undefined, f: Formatter): string {
  if (!text) return '';
  return text
    .replace(ISO_TIME, (iso) => f.date(iso))
    .replace(UUID, '')
    .replace(AMOUNT, (_m, approx: string | undefined, value: string, asset: string) => {
      const shown = FIAT.has(asset) ? f.money(value, asset, 'price') : f.quantity(value, asset);
      return (approx ?? '') + shown;
    })
    .replace(/ {2,}/g, ' ')
    .replace(/ ([.,;:])/g, '$1');
}

function toDate(v: string | number | Date | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}
