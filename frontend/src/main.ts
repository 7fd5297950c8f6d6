// The client starts here: the chosen language's translations and display-currency rate are loaded first, then the
// app is imported and started. Angular translates a template's text once, when its component is first created, and
// $localize strings in code when their module runs, so nothing of the app may run before the translations are in.
// ($localize itself is installed by the polyfills entry, angular.json.)
import { loadTranslations } from '@angular/localize';
import { registerLocaleData } from '@angular/common';
import { activeLanguage, preferredLanguage, setActiveLanguage, syncLanguageCookie, type Language } from './app/core/i18n/language';
import { loadDisplayRate } from './app/core/i18n/display-currency';

/** The translations (simple JSON, as `ng extract-i18n --format json` writes them) and Angular's locale data (plurals). */
async function loadLanguage(language: Language): Promise<void> {
  if (language.code === 'en') return;
  try {
    const [res, locale] = await Promise.all([
      fetch(`/i18n/${language.code}.json`, { headers: { Accept: 'application/json' } }),
      language.code === 'de' ? import('@angular/common/locales/de') : import('@angular/common/locales/es'),
    ]);
    if (!res.ok) throw new Error(`translations: ${res.status}`);
    const body = (await res.json()) as { translations: Record<string, string> };
    loadTranslations(body.translations);
    registerLocaleData(locale.default, language.tag);
    setActiveLanguage(language);
  } catch (err) {
    console.warn(`The ${language.name} translations could not be loaded; showing English.`, err);
  }
}

syncLanguageCookie();
void Promise.all([loadLanguage(preferredLanguage()), loadDisplayRate()])
  .then(() => {
    document.documentElement.lang = activeLanguage().tag;
    return import('./bootstrap');
  })
  .catch((err) => console.error(err));
