/** The languages error messages are written in: English (the source) and the client's other two. */
export const ERROR_LANGUAGES = ['en', 'de', 'es'] as const;
export type ErrorLanguage = (typeof ERROR_LANGUAGES)[number];

/** At most this many language ranges are read from one header (a browser sends a handful). */
const MAX_RANGES = 32;
/** `de`, `de-CH`, `es-419`, `*` … with an optional `;q=0.8` (RFC 9110 §12.4.2: at most three decimals). */
const RANGE = /^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?))?\s*$/;

/**
 * The language of the error messages for a request's `Accept-Language` (RFC 9110 §12.5.4): the language range with
 * the highest q-value that names German or Spanish (by its primary subtag: `de-AT` is German), the first of equals;
 * English when none does, when English or `*` ranks higher, for a malformed range and without the header.
 * `q=0` means "not this one".
 */
export function negotiateLanguage(header: string | string[] | undefined): ErrorLanguage {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return 'en';
  let best: ErrorLanguage = 'en';
  let bestQ = 0;
  for (const range of value.split(',', MAX_RANGES)) {
    const m = RANGE.exec(range);
    if (!m) continue;
    const q = m[2] === undefined ? 1 : Number(m[2]);
    if (q <= bestQ) continue;
    const primary = m[1].split('-')[0].toLowerCase();
    // `*` (any language) and `en` are answered in English, the language every message has.
    const language = primary === '*' ? 'en' : ERROR_LANGUAGES.find((l) => l === primary);
    if (!language) continue;
    best = language;
    bestQ = q;
  }
  return best;
}
