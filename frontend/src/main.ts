// The client starts here: the chosen language's translations and display-currency rate are loaded first, then the
// app is imported and started. Angular translates a template's text once, when its component is first created, and
// $localize strings in code when their module runs, so nothing of the app may run before the translations are in.
// ($localize itself is installed by the polyfills entry, angular.json.)
// Nothing of Angular is imported here statically: a page rendered on the server is painted before any of it is
// fetched or runs (see firstPaint; index.html preloads only this script's own few kB).
import { activeLanguage, preferredLanguage, setActiveLanguage, syncLanguageCookie, type Language } from './app/core/i18n/language';
import { activeRate, loadDisplayRate } from './app/core/i18n/display-currency';
import { showLoadFailure } from './load-failure';

/** The translations (simple JSON, as `ng extract-i18n --format json` writes them) and Angular's locale data (plurals). */
async function loadLanguage(language: Language): Promise<void> {
  if (language.code === 'en') return;
  try {
    const [res, locale, { applyTranslations }] = await Promise.all([
      fetch(`/i18n/${language.code}.json`, { headers: { Accept: 'application/json' } }),
      language.code === 'de' ? import('@angular/common/locales/de') : import('@angular/common/locales/es'),
      import('./app/core/i18n/apply-translations'),
    ]);
    if (!res.ok) throw new Error(`translations: ${res.status}`);
    const body = (await res.json()) as { translations: Record<string, string> };
    applyTranslations(body.translations, locale.default, language.tag);
    setActiveLanguage(language);
  } catch (err) {
    console.warn(`The ${language.name} translations could not be loaded; showing English.`, err);
  }
}

/**
 * A page rendered on the server is on the screen as soon as the browser has painted it: the app (its code's download
 * and evaluation, its start and the taking over of the page: a few hundred milliseconds of script on a slow phone)
 * waits until that first frame is on the screen rather than holding it back. A requestAnimationFrame callback runs
 * just before a frame is drawn: the second one, the frame after the first.
 */
function firstPaint(): Promise<void> {
  // A tab opened in the background (or prerendered) draws no frames until it is shown, and has no paint to protect:
  // it starts the app at once, so the page is live when the tab is shown.
  if (!document.querySelector('app-root[ng-server-context]') || document.visibilityState !== 'visible') return Promise.resolve();
  return new Promise((resolve) => {
    requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
    // Frames can stop while the page is shown too (the tab hidden at that moment): the app never waits long for them.
    setTimeout(resolve, 250);
  });
}

/**
 * The browser loads its formatting data (ICU's) when a page builds its first Intl formatter: 50–125 ms of a slow
 * phone's main thread (measured at 4× CPU slowdown), whichever formatter comes first. The app's start would pay it in
 * the middle of its own long task, at the first price it formats (hydrating a page formats dozens). Built here instead,
 * each in a task of its own while the app's code is on its way (the main thread has nothing else to do then), the
 * app's formatters cost under a millisecond each. The formatters themselves are thrown away: the data stays loaded.
 */
function loadFormattingData(tag: string, currency: string): void {
  // Only a head start: whatever goes wrong here is the app's formatters' to meet (and report) later.
  const quietly = (build: () => unknown) => {
    try {
      build();
    } catch {
      /* see above */
    }
  };
  setTimeout(() => {
    quietly(() => new Intl.NumberFormat(tag, { style: 'currency', currency }).format(1));
    setTimeout(() => quietly(() => new Intl.DateTimeFormat(tag, { month: 'short', day: 'numeric', hour: 'numeric' }).format(0)));
  });
}

syncLanguageCookie();
void Promise.all([loadLanguage(preferredLanguage()), loadDisplayRate(), firstPaint()])
  .then(() => {
    document.documentElement.lang = activeLanguage().tag;
    const app = import('./bootstrap');
    loadFormattingData(activeLanguage().tag, activeRate().currency);
    return app;
  })
  .catch(showLoadFailure);
