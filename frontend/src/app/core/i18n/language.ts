/**
 * The client's languages. The choice is made before the app starts (main.ts
 * loads its translations first: Angular translates a template's text once,
 * when the component is first created), so switching reloads the page.
 * Remembered in localStorage; a first visit follows the browser's languages.
 */
export interface Language {
  code: 'en' | 'de' | 'es';
  /** The locale figures and dates are written in. */
  tag: string;
  /** The language's name in itself (what a reader of it looks for in a list). */
  name: string;
}

export const LANGUAGES: readonly Language[] = [
  { code: 'en', tag: 'en-US', name: 'English' },
  { code: 'de', tag: 'de-DE', name: 'Deutsch' },
  { code: 'es', tag: 'es-ES', name: 'Español' },
];

const ENGLISH = LANGUAGES[0];
const KEY = 'cv-lang';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The remembered language, else the first of the browser's languages we have, else English. */
export function preferredLanguage(): Language {
  const saved = storage()?.getItem(KEY);
  const byCode = (code: string | null | undefined) => LANGUAGES.find((l) => l.code === code?.toLowerCase().split('-')[0]);
  if (saved) return byCode(saved) ?? ENGLISH;
  for (const tag of globalThis.navigator?.languages ?? []) {
    const found = byCode(tag);
    if (found) return found;
  }
  return ENGLISH;
}

export function rememberLanguage(code: Language['code']): void {
  storage()?.setItem(KEY, code);
  writeLanguageCookie(code);
}

/**
 * The server renders the public pages in English only: the `cv-lang` cookie tells it which language this browser
 * starts in. Written with every choice, and at start for a choice remembered before the cookie existed.
 */
export function syncLanguageCookie(): void {
  const saved = storage()?.getItem(KEY);
  if (saved && typeof document !== 'undefined' && !document.cookie.split(/;\s*/).includes(`${KEY}=${saved}`)) writeLanguageCookie(saved);
}

function writeLanguageCookie(code: string): void {
  if (typeof document !== 'undefined') document.cookie = `${KEY}=${encodeURIComponent(code)}; path=/; max-age=31536000; samesite=lax`;
}

let active: Language = ENGLISH;

/** The language the app runs in (English when the chosen one's translations could not be loaded). */
export function activeLanguage(): Language {
  return active;
}

export function setActiveLanguage(language: Language): void {
  active = language;
}
