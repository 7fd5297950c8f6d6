import { multiplyDecimals } from '../ui/decimal';

/**
 * The currency valuations are shown in: display only. Ledger amounts stay in
 * their own asset, and orders, limits and fees are in US dollars as the API
 * takes them. Other currencies are converted at the published reference rate
 * (GET /api/fx/rates: the ECB's daily rates), loaded before the app starts,
 * with its date shown beside the figures.
 */
export type DisplayCurrency = 'USD' | 'EUR' | 'GBP';

export const DISPLAY_CURRENCIES: readonly DisplayCurrency[] = ['USD', 'EUR', 'GBP'];

export interface DisplayRate {
  currency: DisplayCurrency;
  /** Units of `currency` per US dollar, a decimal string ("1" for USD). */
  perUsd: string;
  /** The reference rate's publication day (YYYY-MM-DD); null for USD. */
  date: string | null;
  /** "ecb" or "sample". */
  source: string | null;
}

const KEY = 'cv-currency';
const USD: DisplayRate = { currency: 'USD', perUsd: '1', date: null, source: null };

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function preferredCurrency(): DisplayCurrency {
  const saved = storage()?.getItem(KEY);
  return DISPLAY_CURRENCIES.find((c) => c === saved) ?? 'USD';
}

export function rememberCurrency(currency: DisplayCurrency): void {
  storage()?.setItem(KEY, currency);
}

let active: DisplayRate = USD;
let fellBack = false;

export function activeRate(): DisplayRate {
  return active;
}

/** Whether the chosen currency could not be used (no published rate): valuations are in USD. */
export function currencyFellBack(): boolean {
  return fellBack;
}

/** A USD value in the display currency, exactly (decimal strings, no float). */
export function toDisplay(usd: string, rate: DisplayRate = active): string {
  return rate.perUsd === '1' ? usd : multiplyDecimals(usd, rate.perUsd);
}

interface RatesBody {
  date: string | null;
  source: string | null;
  rates: Record<string, string>;
}

/** Loads the rate of the chosen currency (main.ts, before the app starts); USD when it cannot. */
export async function loadDisplayRate(fetchFn: typeof fetch = fetch): Promise<void> {
  const currency = preferredCurrency();
  if (currency === 'USD') return;
  try {
    const res = await fetchFn('/api/fx/rates', { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`rates: ${res.status}`);
    const body = (await res.json()) as RatesBody;
    const perUsd = body.rates?.[currency];
    if (!perUsd || !/^\d+(\.\d+)?$/.test(perUsd)) throw new Error(`no ${currency} rate`);
    active = { currency, perUsd, date: body.date, source: body.source };
  } catch {
    fellBack = true;
  }
}
