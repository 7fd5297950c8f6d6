import { Dec, dec } from '../../common/money/decimal';
import { parseStrictXml, XmlElement, XmlFormatError } from './strict-xml';

export const GESMES_NAMESPACE = 'http://www.gesmes.org/xml/2002-08-01';
export const EUROFXREF_NAMESPACE = 'http://www.ecb.int/vocabulary/2002-08-01/eurofxref';

/** The display currencies, in the order the client offers them. Every rate is per 1 USD. */
export const DISPLAY_CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
export type DisplayCurrency = (typeof DISPLAY_CURRENCIES)[number];

/** Significant digits of a derived per-USD rate (rounded half-even). */
export const PER_USD_SIGNIFICANT_DIGITS = 10;

/** A positive ECB rate as published: a plain decimal, no sign, exponent or padding. */
const RATE = /^(?:0|[1-9]\d{0,11})(?:\.\d{1,12})?$/;
const CURRENCY = /^[A-Z]{3}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** One day of the ECB's euro foreign exchange reference rates: units of each currency per 1 EUR. */
export interface EcbReferenceDay {
  /** The publication day, `YYYY-MM-DD`. */
  date: string;
  /** Decimal strings exactly as published, by ISO 4217 code (EUR itself is not listed: it is 1). */
  perEur: Map<string, string>;
}

/** The document is not the ECB daily reference rates, or not a usable one. */
export class EcbFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EcbFormatError';
  }
}

/**
 * Reads the ECB's `eurofxref-daily.xml` strictly: `gesmes:Envelope` (GESMES
 * namespace) holding `gesmes:` header elements and one `Cube` (eurofxref
 * namespace), which holds one `Cube time="YYYY-MM-DD"`, which holds one
 * `Cube currency="XXX" rate="…"` per currency and nothing else. The date must
 * be a calendar day; every rate a positive plain decimal; no currency twice;
 * USD and GBP present; EUR, if listed at all, exactly 1. Anything else throws
 * EcbFormatError (XML errors included).
 */
export function parseEcbDailyXml(xml: string): EcbReferenceDay {
  let root: XmlElement;
  try {
    root = parseStrictXml(xml);
  } catch (e) {
    if (e instanceof XmlFormatError) throw new EcbFormatError(`not well-formed XML: ${e.message}`);
    throw e;
  }
  if (root.namespace !== GESMES_NAMESPACE || root.localName !== 'Envelope') {
    throw new EcbFormatError(`the root element is <${root.name}>${root.namespace ? ` in ${root.namespace}` : ''}, not gesmes:Envelope in ${GESMES_NAMESPACE}`);
  }
  noText(root);
  const cubes: XmlElement[] = [];
  for (const child of root.children) {
    if (child.namespace === EUROFXREF_NAMESPACE && child.localName === 'Cube') cubes.push(child);
    else if (child.namespace !== GESMES_NAMESPACE) throw new EcbFormatError(`unexpected <${child.name}> in the envelope`);
  }
  if (cubes.length !== 1) throw new EcbFormatError(`the envelope holds ${cubes.length} Cube elements, not 1`);
  const outer = cubes[0];
  onlyAttributes(outer, []);
  noText(outer);
  if (outer.children.length !== 1) throw new EcbFormatError(`the outer Cube holds ${outer.children.length} elements, not one day`);
  const day = outer.children[0];
  isCube(day);
  onlyAttributes(day, ['time']);
  noText(day);
  const date = day.attributes.get('time');
  if (date === undefined) throw new EcbFormatError('the day Cube has no time attribute');
  if (!isCalendarDate(date)) throw new EcbFormatError(`time "${date}" is not a calendar date (YYYY-MM-DD)`);

  const perEur = new Map<string, string>();
  for (const cube of day.children) {
    isCube(cube);
    onlyAttributes(cube, ['currency', 'rate']);
    noText(cube);
    if (cube.children.length) throw new EcbFormatError('a rate Cube holds elements');
    const currency = cube.attributes.get('currency');
    const rate = cube.attributes.get('rate');
    if (currency === undefined || rate === undefined) throw new EcbFormatError('a rate Cube lacks its currency or rate attribute');
    if (!CURRENCY.test(currency)) throw new EcbFormatError(`currency "${currency}" is not a three-letter ISO 4217 code`);
    if (!RATE.test(rate) || !dec(rate).gt(0)) throw new EcbFormatError(`the ${currency} rate "${rate}" is not a positive decimal`);
    if (perEur.has(currency)) throw new EcbFormatError(`${currency} is listed twice`);
    perEur.set(currency, rate);
  }
  const eur = perEur.get('EUR');
  if (eur !== undefined && !dec(eur).eq(1)) throw new EcbFormatError(`EUR is listed at ${eur} per euro, not 1`);
  for (const required of ['USD', 'GBP']) if (!perEur.has(required)) throw new EcbFormatError(`no ${required} rate for ${date}`);
  return { date, perEur };
}

/**
 * The day's rates per 1 USD: USD 1, EUR = 1 / (USD per EUR), any other X = (X per EUR) / (USD per EUR);
 * computed with decimal.js and rounded half-even to 10 significant digits, as decimal strings without
 * trailing zeros.
 */
export function perUsdRates(day: EcbReferenceDay): Record<DisplayCurrency, string> {
  const usdPerEur = dec(day.perEur.get('USD')!);
  const perUsd = (perEur: string): string => dec(perEur).div(usdPerEur).toSignificantDigits(PER_USD_SIGNIFICANT_DIGITS, Dec.ROUND_HALF_EVEN).toString();
  const out = {} as Record<DisplayCurrency, string>;
  for (const currency of DISPLAY_CURRENCIES) {
    if (currency === 'USD') out.USD = '1';
    else if (currency === 'EUR') out.EUR = perUsd('1');
    else {
      const rate = day.perEur.get(currency);
      if (rate === undefined) throw new EcbFormatError(`no ${currency} rate for ${day.date}`);
      out[currency] = perUsd(rate);
    }
  }
  return out;
}

function isCube(el: XmlElement): void {
  if (el.namespace !== EUROFXREF_NAMESPACE || el.localName !== 'Cube') throw new EcbFormatError(`unexpected <${el.name}> where a Cube belongs`);
}

function onlyAttributes(el: XmlElement, allowed: string[]): void {
  for (const name of el.attributes.keys()) if (!allowed.includes(name)) throw new EcbFormatError(`unexpected attribute ${name} on a Cube`);
}

function noText(el: XmlElement): void {
  if (!/^[ \t\r\n]*$/.test(el.text)) throw new EcbFormatError(`unexpected text inside <${el.name}>`);
}

function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1999 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
