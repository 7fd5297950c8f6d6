import { registerLocaleData } from '@angular/common';
import { loadTranslations } from '@angular/localize';

/**
 * Installs a language's translations and Angular's locale data (plurals, number and date formats) under its tag.
 * main.ts loads this module only for a language other than English, so that nothing of Angular runs before a page
 * rendered on the server is painted.
 */
export function applyTranslations(translations: Record<string, string>, localeData: unknown, tag: string): void {
  loadTranslations(translations);
  registerLocaleData(localeData, tag);
}
