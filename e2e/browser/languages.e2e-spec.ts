import Decimal from 'decimal.js';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { openInClient, type BrowserTab, offlineContext, screenshot, seriousA11yViolations, tabIn, useBrowserSuite } from '../support/browser';
import { createUser, type TestUser } from '../support/factories';
import { fund } from '../support/money';
import { waitFor } from '../support/wait';

/**
 * The client in German and in Spanish, with values shown in euros: every screen's text translated, figures and dates
 * written as the locale writes them (in the person's time zone), and every valuation converted at the published
 * reference rate while ledger amounts stay in their own currency. The five main pages pass axe in both languages.
 */

interface Language {
  code: 'de' | 'es';
  tag: string;
  /** Headings of the pages walked, as the translation reads them. */
  headings: Record<'markets' | 'coin' | 'dashboard' | 'wallet' | 'settings' | 'transactions', RegExp>;
  /** English a page must no longer show. */
  english: string[];
  /** The notice of a sign-in from a new device, as the client writes it from the notification's data. */
  signInNotice: { title: string; summary: string; when: string };
}

const LANGUAGES: Language[] = [
  {
    code: 'de',
    tag: 'de-DE',
    headings: {
      markets: /^Märkte$/,
      coin: /^Bitcoin/,
      dashboard: /^Portfolio$/,
      wallet: /^Wallet$/,
      settings: /^Einstellungen$/,
      transactions: /^Transaktionen$/,
    },
    english: ['Total value', 'Available', 'Log out', 'Settings', 'Transactions'],
    signInNotice: {
      title: 'Neue Anmeldung bei Ihrem Konto',
      summary: 'Jemand hat sich von einem neuen Gerät oder Netzwerk aus bei Ihrem Konto angemeldet.',
      when: 'Zeitpunkt:',
    },
  },
  {
    code: 'es',
    tag: 'es-ES',
    headings: {
      markets: /^Mercados$/,
      coin: /^Bitcoin/,
      dashboard: /^Cartera$/,
      wallet: /^Billetera$/,
      settings: /^Ajustes$/,
      transactions: /^Transacciones$/,
    },
    english: ['Total value', 'Available', 'Log out', 'Settings', 'Transactions'],
    signInNotice: {
      title: 'Nuevo inicio de sesión en tu cuenta',
      summary: 'Alguien ha iniciado sesión en tu cuenta desde un dispositivo o una red nuevos.',
      when: 'Cuándo:',
    },
  },
];

const PATHS = { markets: '/markets', coin: '/coin/bitcoin', dashboard: '/dashboard', wallet: '/wallet', settings: '/settings', transactions: '/transactions' };
type PageName = keyof typeof PATHS;
/** The five main pages checked with axe in each language. */
const AXE_PAGES: PageName[] = ['markets', 'coin', 'dashboard', 'wallet', 'settings'];

/** Text compared word for word: ICU builds differ in which space they put before "€" or inside a date. */
const words = (s: string): string => s.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

const TIME_ZONE = 'America/Mexico_City';
const CASH = '1234.56';

describe('browser: German and Spanish, with values in euros', () => {
  const suite = useBrowserSuite();
  let customer: TestUser;
  let eurPerUsd: string;
  let rateDate: string;
  let funded: { createdAt: string };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const admin = await createUser(suite.app, suite.mail, { admin: true });
    customer = await createUser(suite.app, suite.mail);
    // Cash only: its value in euros is exact and does not move with prices.
    await fund(suite.app, admin, customer, 'USD', CASH);
    const rates = await request(suite.app.url).get('/api/fx/rates').expect(200);
    eurPerUsd = rates.body.rates.EUR as string;
    rateDate = rates.body.date as string;
    expect(eurPerUsd).toMatch(/^\d+\.\d+$/);
    const entries = await request(suite.app.url).get('/api/transactions').set(customer.auth).expect(200);
    funded = (entries.body.items as { createdAt: string; asset: string }[]).find((t) => t.asset === 'USD')!;
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
  });

  /** A signed-in tab whose person chose `language` and euros (as Settings remembers them), in another time zone. */
  async function tabFor(language: Language): Promise<BrowserTab> {
    const context = await offlineContext(suite.browser, suite.app.url, { locale: language.tag, timezoneId: TIME_ZONE });
    contexts.push(context);
    await context.addInitScript(
      ([lang]) => {
        const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
        storage.setItem('cv-lang', lang);
        storage.setItem('cv-currency', 'EUR');
        storage.setItem('cv-theme', 'light');
      },
      [language.code],
    );
    const res = await context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(res.status()).toBe(200);
    return tabIn(context);
  }

  /** Shows `name` through the client's router (the first page is a full load) once its heading is there. */
  async function show(page: Page, language: Language, name: PageName): Promise<void> {
    await openInClient(page, PATHS[name]);
    await page.getByRole('heading', { level: 1, name: language.headings[name] }).waitFor();
  }

  it.each(LANGUAGES.map((l) => [l.code, l] as const))(
    '%s: text translated, figures and dates as the locale writes them, values in euros',
    async (_code, language) => {
      const { page, problems } = await tabFor(language);
      const money = (value: string, currency: string) =>
        words(new Intl.NumberFormat(language.tag, { style: 'currency', currency }).format(value as unknown as number));

      await show(page, language, 'wallet');
      expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe(
        language.tag,
      );
      // The valuation converts at the published rate (exactly, then rounded to cents); the USD balance stays in dollars.
      const eur = new Decimal(CASH).mul(eurPerUsd).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
      // The heading shows before the balances have loaded: read the page once the valuation is there (or time out).
      const main = page.locator('main');
      const valued = money(eur, 'EUR');
      await main.getByText(valued).first().waitFor();
      const text = words(await main.innerText());
      expect(text).toContain(valued);
      expect(text).toContain(money(CASH, 'USD'));
      for (const english of language.english) expect(text).not.toContain(english);

      // Dates in the locale and the person's time zone.
      await show(page, language, 'transactions');
      const when = words(
        new Intl.DateTimeFormat(language.tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(funded.createdAt)),
      );
      // The summary (dates only) shows before the rows (date and time): wait for the row's text itself.
      const shown = page.locator('main');
      await waitFor(async () => words(await shown.innerText()).includes(when), 15_000, `"${when}" on the transactions page`).catch(() => undefined);
      expect(words(await shown.innerText())).toContain(when);

      // Settings says which rate, of which day.
      await show(page, language, 'settings');
      const note = words(await page.getByTestId('display-rate').innerText());
      expect(note).toContain(
        words(new Intl.DateTimeFormat(language.tag, { dateStyle: 'medium', timeZone: TIME_ZONE }).format(new Date(`${rateDate}T12:00:00Z`))),
      );

      // The notifications menu in the language: the first sign-in from a browser (a new device) is told in a notice the
      // client writes from its data (the server stores English), its time in the locale and the person's time zone.
      const notes = await request(suite.app.url).get('/api/notifications').set(customer.auth).expect(200);
      const signIn = (notes.body.items as { title: string; data: { event?: string; at?: string } }[]).find((n) => n.data.event === 'signed_in');
      expect(signIn?.data.at).toEqual(expect.any(String));
      await page.getByTestId('notifications-bell').click();
      const menu = page.getByRole('menu');
      await menu.getByText(language.signInNotice.title).first().waitFor();
      const notice = words(await menu.innerText());
      expect(notice).toContain(language.signInNotice.summary);
      const at = words(
        new Intl.DateTimeFormat(language.tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(signIn!.data.at!)),
      );
      expect(notice).toContain(`${language.signInNotice.when} ${at}.`);
      expect(notice).not.toContain(signIn!.title);
      await page.keyboard.press('Escape');

      // The five main pages have no serious or critical accessibility violations in this language.
      const found: string[] = [];
      for (const name of AXE_PAGES) {
        await show(page, language, name);
        const violations = await seriousA11yViolations(page);
        if (violations.length) await screenshot(page, 'languages', `${language.code}-${name}`);
        found.push(...violations.map((v) => `${name}: ${v}`));
      }
      expect(found).toEqual([]);
      expect(problems).toEqual([]);
    },
  );
});
