import type { ErrorDetail } from '../errors/app-error';
import type { ErrorLanguage } from './error-language';
import { DE } from './error-messages.de';
import { ES } from './error-messages.es';

/**
 * Error messages in the client's languages. The code keeps writing English (the source text, and what the logs
 * say); the error filter translates the answer's `message` and `details[].message` through a catalogue:
 *
 * - `messages`: English message → translation. A message the server fills in is written as its template, a
 *   `{name}` for each part it fills in ('Unknown asset {symbol}'), and the translation uses the same names.
 *   A message is matched whole against the templates (most specific first: the one with the most fixed text);
 *   one no template matches stays English (error-messages.catalogue.spec.ts makes sure every message has one).
 * - What a placeholder's value becomes, by the placeholder's name:
 *   - PROSE_PLACEHOLDERS ('an amount', 'approve', 'your password was reset'): words, translated through
 *     `phrases`, by `name:value` when the language needs this placeholder's value said differently ('status:approved'
 *     is 'aprobada' for a withdrawal, 'adjustmentStatus:approved' 'aprobado' for an adjustment), else by value.
 *     A template whose prose value has no phrase does not match (the message stays English rather than mixed);
 *   - LIST_PLACEHOLDERS ('buy or sell', 'bitcoin or ethereum'): values the API takes, joined in words: the
 *     values stay, their last 'or' becomes the language's `or`;
 *   - any other (field names, tickers, ids, numbers, amounts, examples of what to type): as the server wrote
 *     it, except a whole number grouped in thousands ('100,000') and a date and time as `formatDateTime` writes
 *     them ('Dec 3, 2026, 10:05 UTC'), which are written the language's way.
 * The error `code` never changes: clients match on it.
 */
export interface ErrorCatalogue {
  /** The locale numbers and dates are written in. */
  readonly locale: string;
  readonly messages: Readonly<Record<string, string>>;
  readonly phrases: Readonly<Record<string, string>>;
  /** What joins the last two items of a list ('buy or sell'). */
  readonly or: string;
}

/** Placeholders whose values are words (see ErrorCatalogue). */
export const PROSE_PLACEHOLDERS: ReadonlySet<string> = new Set([
  'label',
  'what',
  'action',
  'status',
  'adjustmentStatus',
  'roleChangeStatus',
  'side',
  'orderType',
  'purpose',
  'reason',
  'refused',
  'hint',
  'idKind',
]);

/** The phrase for a prose placeholder's value, or undefined. */
export function phraseOf(catalogue: ErrorCatalogue, name: string, value: string): string | undefined {
  return catalogue.phrases[`${name}:${value}`] ?? catalogue.phrases[value];
}

/** Placeholders whose values are lists in words of values the API takes (see ErrorCatalogue). */
export const LIST_PLACEHOLDERS: ReadonlySet<string> = new Set(['choices', 'networks']);

export const CATALOGUES: Readonly<Record<Exclude<ErrorLanguage, 'en'>, ErrorCatalogue>> = { de: DE, es: ES };

/** A placeholder in a catalogue text: `{name}`. */
export const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Longer messages are left as they are (a message carrying a request's field name is as long as that name). */
const MAX_LENGTH = 2_000;

interface Template {
  pattern: RegExp;
  translation: string;
  /** How much fixed text the template has: the more, the more specific. */
  fixed: number;
}

interface Compiled {
  catalogue: ErrorCatalogue;
  exact: Map<string, string>;
  templates: Template[];
  numbers: Intl.NumberFormat;
  dates: Intl.DateTimeFormat;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An English template as an anchored pattern: each `{name}` captures (a repeated one must repeat its value). */
export function templatePattern(template: string): RegExp {
  const seen = new Set<string>();
  let source = '';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    source += escapeRegExp(template.slice(last, m.index));
    source += seen.has(m[1]) ? `\\k<${m[1]}>` : `(?<${m[1]}>[\\s\\S]*?)`;
    seen.add(m[1]);
    last = m.index + m[0].length;
  }
  return new RegExp(`^${source}${escapeRegExp(template.slice(last))}$`);
}

function compile(catalogue: ErrorCatalogue): Compiled {
  const exact = new Map<string, string>();
  const templates: Template[] = [];
  for (const [english, translation] of Object.entries(catalogue.messages)) {
    if (!english.match(PLACEHOLDER)) exact.set(english, translation);
    else templates.push({ pattern: templatePattern(english), translation, fixed: english.replace(PLACEHOLDER, '').length });
  }
  templates.sort((a, b) => b.fixed - a.fixed);
  return {
    catalogue,
    exact,
    templates,
    numbers: new Intl.NumberFormat(catalogue.locale, { useGrouping: true }),
    dates: new Intl.DateTimeFormat(catalogue.locale, { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }),
  };
}

const compiled = new Map<ErrorLanguage, Compiled>();

function compiledFor(language: Exclude<ErrorLanguage, 'en'>): Compiled {
  let c = compiled.get(language);
  if (!c) compiled.set(language, (c = compile(CATALOGUES[language])));
  return c;
}

/** A whole number grouped in thousands the en-US way: '100,000,000'. */
const GROUPED = /^\d{1,3}(?:,\d{3})+$/;
/** What `formatDateTime` (common/money/prose-format.ts) writes: 'Dec 3, 2026, 10:05 UTC'. */
const DATE_TIME = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}), (\d{4}), (\d{2}):(\d{2}) UTC$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A placeholder's value in the catalogue's language; undefined for prose without a phrase. */
function placeholderValue(c: Compiled, name: string, value: string): string | undefined {
  if (PROSE_PLACEHOLDERS.has(name)) return phraseOf(c.catalogue, name, value);
  if (LIST_PLACEHOLDERS.has(name)) return value.replace(/ or (?=[^ ]+$)/, ` ${c.catalogue.or} `);
  if (GROUPED.test(value)) return c.numbers.format(BigInt(value.replaceAll(',', '')));
  const date = DATE_TIME.exec(value);
  if (date) {
    const [, month, day, year, hour, minute] = date;
    return `${c.dates.format(Date.UTC(Number(year), MONTHS.indexOf(month), Number(day), Number(hour), Number(minute)))} UTC`;
  }
  return value;
}

/** `message` in `language`, or undefined when the catalogue has no entry for it. */
export function translateMessage(message: string, language: ErrorLanguage): string | undefined {
  if (language === 'en') return message;
  const c = compiledFor(language);
  const exact = c.exact.get(message);
  if (exact !== undefined) return exact;
  if (message.length > MAX_LENGTH) return undefined;
  for (const t of c.templates) {
    const m = t.pattern.exec(message);
    if (!m?.groups) continue;
    const values = new Map<string, string>();
    for (const [name, value] of Object.entries(m.groups)) {
      const v = placeholderValue(c, name, value);
      if (v === undefined) break;
      values.set(name, v);
    }
    if (values.size < Object.keys(m.groups).length) continue;
    return t.translation.replace(PLACEHOLDER, (whole, name: string) => values.get(name) ?? whole);
  }
  return undefined;
}

/**
 * An error of the API's shape in `language`: its message and its details' messages translated (each left in English
 * when the catalogue lacks it), and the language the message ended up in (for Content-Language).
 */
export function localizeError<E extends { message: string; details?: ErrorDetail[] }>(
  error: E,
  language: ErrorLanguage,
): { error: E; language: ErrorLanguage } {
  if (language === 'en') return { error, language };
  const message = translateMessage(error.message, language);
  const details = error.details?.map((d) => ({ ...d, message: translateMessage(d.message, language) ?? d.message }));
  return { error: { ...error, message: message ?? error.message, ...(details ? { details } : {}) }, language: message === undefined ? 'en' : language };
}
