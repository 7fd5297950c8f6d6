import { Pipe, PipeTransform } from '@angular/core';

// Display only: amounts stay decimal strings everywhere else.
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const usdSmall = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 6 });
const compact = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 2 });
const qty = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 });
const percent = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signedPercent = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * The value to hand to Intl.NumberFormat: API amounts are decimal strings and
 * Intl formats those exactly (no detour through a float), numbers pass through.
 */
function exact(v: string | number | null | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || !DECIMAL.test(v)) return null;
  // Intl.NumberFormat.format takes a numeric string (ES2023) and keeps every digit.
  return v as unknown as number;
}

/** A float, only for comparisons (sign, magnitude), never for what is shown. */
function num(v: string | number | null | undefined): number | null {
  const e = exact(v);
  return e === null ? null : Number(e);
}

@Pipe({ name: 'usd' })
export class UsdPipe implements PipeTransform {
  transform(v: string | number | null | undefined, mode: 'price' | 'compact' | 'plain' = 'plain'): string {
    const e = exact(v);
    if (e === null) return '—';
    if (mode === 'compact') return compact.format(e);
    if (mode === 'price' && Math.abs(Number(e)) < 1) return usdSmall.format(e);
    return usd.format(e);
  }
}

@Pipe({ name: 'qty' })
export class QtyPipe implements PipeTransform {
  transform(v: string | number | null | undefined): string {
    const e = exact(v);
    return e === null ? '—' : qty.format(e);
  }
}

@Pipe({ name: 'pct' })
export class PctPipe implements PipeTransform {
  transform(v: string | number | null | undefined, signed = true): string {
    const e = exact(v);
    return e === null ? '—' : `${(signed ? signedPercent : percent).format(e)} %`;
  }
}

/** 'up' | 'down' | '' for colouring a signed value. */
export function trend(v: string | number | null | undefined): string {
  const n = num(v);
  return n === null || n === 0 ? '' : n > 0 ? 'up' : 'down';
}
