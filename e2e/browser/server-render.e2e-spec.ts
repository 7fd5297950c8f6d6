import type { Page, Request } from 'playwright-core';
import { type BrowserTab, offlineContext, seriousA11yViolations, tabIn, useBrowserSuite } from '../support/browser';

/**
 * The markets and coin pages arrive rendered on the server (docs/ARCHITECTURE.md §6 "Server rendering"): before any
 * script runs they show the prices, on a phone and on a wide screen, and the app then takes the page over as it is —
 * without asking the API again for what the page brought, and without an error.
 */
describe('browser: the public pages arrive rendered', () => {
  // What is rendered, not how fast: the first render also loads the client's server bundle, which a busy 2-core
  // machine can take beyond the default 3 s wait (the visitor then gets the client's page, as designed).
  const suite = useBrowserSuite({ SERVER_RENDER_TIMEOUT_MS: '25000' });

  /** The API calls the page makes, by path. */
  function apiCalls(page: Page): string[] {
    const calls: string[] = [];
    page.on('request', (r: Request) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/api/')) calls.push(url.pathname);
    });
    return calls;
  }

  it.each([390, 1280])('shows the markets with their prices before any script runs, at %i px', async (width) => {
    const noScript = await suite.browser.newContext({ baseURL: suite.app.url, viewport: { width, height: 900 }, javaScriptEnabled: false });
    // Offline, as every browser test: the coins' images (another origin) are answered 404.
    const origin = new URL(suite.app.url).origin;
    await noScript.route(
      (url) => url.origin !== origin,
      (route) => route.fulfill({ status: 404, body: '' }),
    );
    try {
      const p = await noScript.newPage();
      await p.goto('/markets');
      const rows = p.getByTestId('market-rows').getByRole('row');
      expect(await rows.count()).toBeGreaterThanOrEqual(10);
      const first = rows.first();
      await first.getByText('Bitcoin').waitFor();
      expect(await first.isVisible()).toBe(true);
      expect(await first.innerText()).toMatch(/\$\d{1,3}(,\d{3})*\.\d{2}/);
      // The shell has the screen's own layout already (CSS, not script): a wide screen shows the menu beside the page
      // and the theme switch on the bar; a phone the ☰ button (disabled until the app runs) and the menu closed.
      const menuLink = p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Proof of reserves' });
      expect({
        menu: await menuLink.isVisible(),
        button: await p.getByRole('button', { name: 'Menu' }).isVisible(),
        theme: await p.getByRole('button', { name: 'Dark theme' }).isVisible(),
      }).toEqual(width < 960 ? { menu: false, button: true, theme: false } : { menu: true, button: false, theme: true });
      // The page fits the screen, as the app lays it out.
      expect(
        await p.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth),
      ).toBeLessThanOrEqual(width);
    } finally {
      await noScript.close();
    }
  });

  /**
   * Keeps the elements the server rendered (`selector`), as the page arrives (DOMContentLoaded: the entry script waits
   * for the first paint before it imports the app); `stillThere` then tells whether each is still the one on the page:
   * taken over by hydration, not thrown away and built again by the app.
   */
  async function keepRendered(page: Page, selector: string): Promise<{ stillThere(): Promise<{ kept: number; of: number }> }> {
    await page.addInitScript({
      content: `document.addEventListener('DOMContentLoaded', () => { window.__rendered = [...document.querySelectorAll(${JSON.stringify(selector)})]; });`,
    });
    return {
      stillThere: () => page.evaluate('({ kept: window.__rendered.filter((e) => e.isConnected).length, of: window.__rendered.length })'),
    };
  }

  it('takes the page over without asking again for the prices it brought, and without an error', async () => {
    const tab = await tabIn(await offlineContext(suite.browser, suite.app.url));
    const calls = apiCalls(tab.page);
    const marketRows = await keepRendered(tab.page, '[data-testid="market-rows"] tr, h1');
    await tab.page.goto('/markets');
    const row = tab.page.getByTestId('market-rows').getByRole('row').first();
    await row.getByText('Bitcoin').waitFor();
    // Taken over (Angular drops a component's `ngh` mark as it takes it over): a click on the header sorts, and the
    // live feed connects. A click before that does nothing: event replay needs an inline script, which the CSP forbids.
    await tab.page.locator('cv-markets-page:not([ngh])').waitFor({ state: 'attached' });
    await tab.page.getByText('Feed: live').waitFor();
    await tab.page.getByRole('button', { name: /^Name/ }).click();
    await tab.page.getByRole('button', { name: /^Name ↑/ }).waitFor();
    expect(calls.filter((c) => c === '/api/crypto' || c === '/api/prices')).toEqual([]);
    // The rows are the ones the server rendered, taken over: the app's first render had the page's data, not an empty
    // list it then filled by building the rows again.
    const markets = await marketRows.stillThere();
    expect(markets.of).toBeGreaterThanOrEqual(10);
    expect(markets).toEqual({ kept: markets.of, of: markets.of });
    expect(tab.problems).toEqual([]);

    const coin = await tabIn(await offlineContext(suite.browser, suite.app.url));
    const coinCalls = apiCalls(coin.page);
    const coinPage = await keepRendered(coin.page, 'cv-coin-page h1, cv-coin-page .stat, cv-coin-page cv-order-ticket');
    await coin.page.goto('/coin/bitcoin');
    await coin.page.getByRole('heading', { name: /^Bitcoin/ }).waitFor();
    await coin.page.locator('cv-coin-page:not([ngh])').waitFor({ state: 'attached' });
    await coin.page.getByText('Feed: live').waitFor();
    expect(coinCalls.filter((c) => c === '/api/crypto/bitcoin' || c.startsWith('/api/crypto/bitcoin/candles'))).toEqual([]);
    const coinKept = await coinPage.stillThere();
    expect(coinKept.of).toBe(8);
    expect(coinKept).toEqual({ kept: 8, of: 8 });
    // The chart's code loads once the page is idle, and the chart is drawn in the place kept for it.
    await coin.page.locator('cv-candle-chart canvas').first().waitFor();
    // Another interval asks for its candles alone: the page (its order ticket, whatever was typed in it) stays.
    const dayCandles = coin.page.waitForRequest((r) => r.url().includes('/api/crypto/bitcoin/candles?interval=1d'));
    await coin.page.getByRole('radio', { name: '1d' }).click();
    await dayCandles;
    await coin.page.getByRole('radio', { name: '1d', checked: true }).waitFor();
    expect(coinCalls.filter((c) => c === '/api/crypto/bitcoin')).toEqual([]);
    expect(await coinPage.stillThere()).toEqual({ kept: 8, of: 8 });
    expect(coin.problems).toEqual([]);
    await Promise.all([tab.context.close(), coin.context.close()]);
  });

  /**
   * A tab whose browser gets the scripts the page names up front (the entry and what index.html preloads), and the
   * chosen language's (`locale`'s) when it is not English, but not the app's own code, which the entry imports once
   * the page is painted: as after a network drop, or a release that replaced the scripts since the page was served.
   * The entry asks for the app once the language is in, and sets the page's `lang` to it just before (main.ts): that
   * tells a request for the app from one for the language. `allow()` lets everything through again.
   */
  async function tabWithoutTheApp(locale?: string): Promise<{ tab: BrowserTab; allow(): void }> {
    const index = await (await fetch(`${suite.app.url}/login`, { headers: { Accept: 'text/html' } })).text();
    const named = new Set([...index.matchAll(/(?:src|href)="\/?([\w.-]+\.js)"/g)].map((m) => `/${m[1]}`));
    expect(named.size).toBeGreaterThan(0);
    let blocked = true;
    const tab = await tabIn(await offlineContext(suite.browser, suite.app.url, locale ? { locale } : {}));
    const pageLang = () => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang;
    await tab.context.route(
      (url) => url.pathname.endsWith('.js') && !named.has(url.pathname),
      async (route) => {
        const appAsked =
          !locale ||
          (await route
            .request()
            .frame()
            .evaluate(pageLang)
            .catch(() => locale)) === locale;
        // 404, as a release that replaced them answers (the page's "Failed to load resource" for a 4xx is not a problem).
        if (blocked && appAsked) return route.fulfill({ status: 404, body: '' });
        return route.continue();
      },
    );
    return { tab, allow: () => (blocked = false) };
  }

  it('says when the app could not be loaded, over the rendered page, and reloads into the live app', async () => {
    const { tab, allow } = await tabWithoutTheApp();
    await tab.page.goto('/markets');
    const notice = tab.page.getByRole('alert').filter({ hasText: 'CryptoVault could not finish loading. Check your connection, then reload the page.' });
    await notice.waitFor();
    // The rendered prices stay readable under it.
    await tab.page.getByTestId('market-rows').getByText('Bitcoin').waitFor();
    expect(tab.problems.length).toBeGreaterThan(0);
    expect(tab.problems.every((p) => p.startsWith('console.error: TypeError: Failed to fetch dynamically imported module'))).toBe(true);

    allow();
    tab.problems.length = 0;
    await notice.getByRole('button', { name: 'Reload' }).click();
    await tab.page.locator('cv-markets-page:not([ngh])').waitFor({ state: 'attached' });
    await tab.page.getByText('Feed: live').waitFor();
    expect(await tab.page.getByRole('alert').filter({ hasText: 'could not finish loading' }).count()).toBe(0);
    expect(tab.problems).toEqual([]);
    await tab.context.close();
  });

  it('says so on a page the server does not render, in German, at 390 px, with nothing axe finds serious', async () => {
    const { tab, allow } = await tabWithoutTheApp('de-DE');
    await tab.page.setViewportSize({ width: 390, height: 844 });
    await tab.page.goto('/login');
    const notice = tab.page.getByRole('alert').filter({
      hasText: 'CryptoVault konnte nicht vollständig geladen werden. Prüfen Sie Ihre Verbindung und laden Sie die Seite dann neu.',
    });
    await notice.waitFor();
    const reload = notice.getByRole('button', { name: 'Neu laden' });
    expect(await reload.isVisible()).toBe(true);
    expect(
      await tab.page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(390);
    expect(await seriousA11yViolations(tab.page)).toEqual([]);

    allow();
    await reload.click();
    await tab.page.getByRole('button', { name: 'Anmelden' }).first().waitFor();
    expect(await tab.page.getByRole('alert').filter({ hasText: 'konnte nicht vollständig geladen werden' }).count()).toBe(0);
    await tab.context.close();
  });
});
