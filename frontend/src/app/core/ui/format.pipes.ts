import { Pipe, PipeTransform } from '@angular/core';

// Display only: amounts stay decimal strings everywhere else.
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 });
const usdSmall = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 6 });
const compact = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 2 });
const qty = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 });

function num(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

@Pipe({ name: 'usd' })
export class UsdPipe implements PipeTransform {
  transform(v: string | number | null | undefined, mode: 'price' | 'compact' | 'plain' = 'plain'): string {
    const n = num(v);
    if (n === null) return '—';
    if (mode === 'compact') return compact.format(n);
    if (mode === 'price' && Math.abs(n) < 1) return usdSmall.format(n);
    return usd.format(n);
  }
}

@Pipe({ name: 'qty' })
export class QtyPipe implements PipeTransform {
  transform(v: string | number | null | undefined): string {
    const n = num(v);
    return n === null ? '—' : qty.format(n);
  }
}

@Pipe({ name: 'pct' })
export class PctPipe implements PipeTransform {
  transform(v: string | number | null | undefined, signed = true): string {
    const n = num(v);
    return n === null ? '—' : `${signed && n > 0 ? '+' : ''}${n.toFixed(2)} %`;
  }
}

/** 'up' | 'down' | '' for colouring a signed value. */
export function trend(v: string | number | null | undefined): string {
  const n = num(v);
  return n === null || n === 0 ? '' : n > 0 ? 'up' : 'down';
}
