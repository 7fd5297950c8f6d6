import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import {
  openInClient,
  type BrowserTab,
  offlineContext,
  openedDialog,
  SCREENSHOT_PASSES,
  screenshot,
  seriousA11yViolations,
  tabIn,
  useBrowserSuite,
} from '../support/browser';
import { createUser, TestUser } from '../support/factories';

interface MainPage {
  name: string;
  path: string;
  /** Who must be signed in; nobody when absent. */
  as?: 'customer' | 'admin';
  /** Resolves once the page shows its content (not a loading state). */
  ready(page: Page): Promise<void>;
}

/** The "This wasn't me" page of a real notice (made in beforeAll): its preview state, which acts on nothing. */
let freezePath = '/security/freeze';

/** Every main page of the client; a new screen is one more entry. */
const PAGES: MainPage[] = [
  { name: 'markets', path: '/markets', ready: (p) => p.getByRole('link', { name: /Bitcoin/ }).waitFor() },
  { name: 'coin', path: '/coin/bitcoin', ready: (p) => p.getByText('24 h high').waitFor() },
  { name: 'login', path: '/login', ready: (p) => p.getByRole('heading', { name: 'Log in' }).waitFor() },
  { name: 'signup', path: '/signup', ready: (p) => p.getByRole('heading', { name: 'Create your account' }).waitFor() },
  {
    name: 'proof-of-reserves',
    path: '/proof-of-reserves',
    ready: (p) => p.locator('[data-testid="por-snapshot"], [data-testid="por-none"]').first().waitFor(),
  },
  { name: 'dashboard', path: '/dashboard', as: 'customer', ready: (p) => p.getByText('Unrealised P&L').waitFor() },
  { name: 'wallet', path: '/wallet', as: 'customer', ready: (p) => p.getByRole('button', { name: 'Create deposit' }).waitFor() },
  { name: 'address-book', path: '/wallet/addresses', as: 'customer', ready: (p) => p.getByText('No saved addresses yet.').waitFor() },
  {
    name: 'confirm-address',
    path: '/wallet/addresses/confirm?token=opened-by-the-accessibility-check',
    ready: (p) => p.getByRole('button', { name: 'Confirm address' }).waitFor(),
  },
  { name: 'orders', path: '/orders', as: 'customer', ready: (p) => p.getByText('No open orders.').waitFor() },
  { name: 'convert', path: '/convert', as: 'customer', ready: (p) => p.getByText('No conversions yet.').waitFor() },
  { name: 'transactions', path: '/transactions', as: 'customer', ready: (p) => p.getByText(/No transactions match/).waitFor() },
  { name: 'reports', path: '/reports', as: 'customer', ready: (p) => p.getByTestId('gains-totals').waitFor() },
  { name: 'alerts', path: '/alerts', as: 'customer', ready: (p) => p.getByText(/No alerts yet\./).waitFor() },
  { name: 'recurring', path: '/recurring', as: 'customer', ready: (p) => p.getByText(/No recurring buys yet\./).waitFor() },
  { name: 'settings', path: '/settings', as: 'customer', ready: (p) => p.getByRole('heading', { name: 'Active sessions' }).waitFor() },
  {
    name: 'confirm-email-change',
    path: '/confirm-email-change?token=not-a-real-token',
    ready: (p) => p.getByRole('heading', { name: 'Confirm your new email address' }).waitFor(),
  },
  { name: 'activity', path: '/settings/activity', as: 'customer', ready: (p) => p.getByTestId('activity').getByText('Signed in').first().waitFor() },
  {
    name: 'your-data',
    path: '/settings/data',
    as: 'customer',
    ready: (p) => p.getByTestId('close-account').getByRole('button', { name: 'Close my account' }).waitFor(),
  },
  { name: 'api-keys', path: '/settings/api-keys', as: 'customer', ready: (p) => p.getByRole('button', { name: 'Create API key' }).waitFor() },
  {
    name: 'freeze',
    get path() {
      return freezePath;
    },
    ready: (p) => p.getByRole('button', { name: 'Freeze my account' }).waitFor(),
  },
  { name: 'admin-overview', path: '/admin/overview', as: 'admin', ready: (p) => p.getByRole('heading', { name: 'Platform fee revenue' }).waitFor() },
  { name: 'admin-users', path: '/admin/users', as: 'admin', ready: (p) => p.getByRole('table').waitFor() },
  { name: 'admin-withdrawals', path: '/admin/withdrawals', as: 'admin', ready: (p) => p.getByRole('table').waitFor() },
  { name: 'admin-audit', path: '/admin/audit', as: 'admin', ready: (p) => p.getByRole('table').waitFor() },
  { name: 'admin-ledger', path: '/admin/ledger', as: 'admin', ready: (p) => p.getByLabel('Reason').waitFor() },
  {
    name: 'admin-reconciliation',
    path: '/admin/reconciliation',
    as: 'admin',
    ready: (p) => p.getByRole('heading', { name: 'Earlier runs' }).waitFor(),
  },
];

/**
 * The colour rules of axe: all a second theme can change, since a theme restyles colours and leaves the structure
 * (names, roles, labels, landmarks) that the full pass of the light theme checks.
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

type Visitor = 'visitor' | 'customer' | 'admin';
type Screen = 'light' | 'dark' | 'phone';

const VIEWPORTS: Record<Screen, { width: number; height: number }> = {
  light: { width: 1280, height: 900 },
  dark: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
};

describe('browser: every main page renders under the CSP and passes axe', () => {
  const suite = useBrowserSuite({ CANDLE_HISTORY_BACKFILL: 'true' });
  const users = {} as Record<'customer' | 'admin', TestUser>;
  /**
   * One tab per person and screen (light or dark theme on a desktop, light on a phone), kept for the whole suite as
   * one person browses: signed in once, the client started once by a full page load, and every later page reached
   * through the client's router. A check then costs rendering its page and running axe, not starting the client again.
   */
  const tabs = new Map<string, Promise<BrowserTab>>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    users.admin = await createUser(suite.app, suite.mail, { admin: true });
    users.customer = await createUser(suite.app, suite.mail);
    // A sign-in from a new device mails a notice with a "This wasn't me" link; the freeze page opens it (a preview, never a freeze).
    const signIn = await request(suite.app.url)
      .post('/api/auth/login')
      .set('User-Agent', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0')
      .send({ email: users.customer.email, password: users.customer.password });
    expect(signIn.status).toBe(200);
    const notice = await suite.mail.waitFor(users.customer.email, (m) => /new sign-in/i.test(m.subject));
    freezePath = /\/security\/freeze\?token=[A-Za-z0-9_-]+/.exec(notice.text)![0];
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
  });

  function tabFor(who: Visitor, screen: Screen): Promise<BrowserTab> {
    const key = `${who}-${screen}`;
    let tab = tabs.get(key);
    if (!tab) {
      tab = (async () => {
        const context = await offlineContext(suite.browser, suite.app.url);
        contexts.push(context);
        if (who !== 'visitor') {
          // Signs the context in through the API (it shares the browser's cookie jar); the login page has its own entry.
          const { email, password, backupCodes } = users[who];
          // Admins have two-factor on: a backup code (one per sign-in).
          const twoFactorCode = backupCodes?.shift();
          const res = await context.request.post('/api/auth/login', { data: { email, password, ...(twoFactorCode ? { twoFactorCode } : {}) } });
          expect(res.status()).toBe(200);
        }
        // The theme the client remembers (see ThemeService), set before it starts: no colour transitions mid-check.
        const theme = screen === 'dark' ? 'dark' : 'light';
        await context.addInitScript(
          (t) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('cv-theme', t),
          theme,
        );
        const opened = await tabIn(context);
        await opened.page.setViewportSize(VIEWPORTS[screen]);
        return opened;
      })();
      tabs.set(key, tab);
    }
    return tab;
  }

  /**
   * Shows `target` in its person's tab for `screen` and runs `body` once its content is there; returns what `body`
   * returned and the page problems (see support/browser `watchProblems`) that arose meanwhile. The first page of a
   * tab is a full load; later ones navigate in the running client, as following a link does (the router's
   * popstate path), so the page is rendered by the client as it is for a person moving through the app.
   */
  async function onPage<T>(target: MainPage, screen: Screen, body: (page: Page) => Promise<T>): Promise<{ result: T; problems: string[] }> {
    const { page, problems } = await tabFor(target.as ?? 'visitor', screen);
    const seen = problems.length;
    await openInClient(page, target.path);
    await page.waitForURL((url) => `${url.pathname}${url.search}` === target.path);
    await target.ready(page);
    const result = await body(page);
    return { result, problems: problems.slice(seen) };
  }

  /** `target` in `theme` on a desktop: axe's serious and critical findings (of `rules` only, when given). */
  async function axeCheck(name: string, target: MainPage, theme: 'light' | 'dark', rules?: string[]): Promise<{ violations: unknown[]; problems: string[] }> {
    const { result: violations, problems } = await onPage(target, theme, async (page) => {
      await page.getByText('Prices: simulated').waitFor();
      await page.getByRole('button', { name: theme === 'dark' ? 'Light theme' : 'Dark theme' }).waitFor();
      const found = await seriousA11yViolations(page, rules);
      if (found.length || SCREENSHOT_PASSES) await screenshot(page, 'accessibility', `${name}-${theme}`);
      return found;
    });
    if (problems.length && !violations.length && !SCREENSHOT_PASSES)
      await screenshot((await tabFor(target.as ?? 'visitor', theme)).page, 'accessibility', `${name}-${theme}`);
    return { violations, problems };
  }

  // The full pass: every main page in the default (light) theme, every rule. The client has one language (English).
  it.each(PAGES.map((p) => [p.name, p] as const))('%s has no serious or critical accessibility violations (light theme)', async (name, target) => {
    expect(await axeCheck(name, target, 'light')).toEqual({ violations: [], problems: [] });
  });

  // The dark theme's colours on five pages that between them show nearly every component the theme restyles
  // (the admin pages are built from the same form fields, selects and tables), so a contrast
  // regression of a shared style shows on at least one of them:
  // - markets: the app bar and side nav, the search field, the data table with up/down change colours;
  // - coin: the candle chart, the range toggle group, the order ticket (buy/sell, inputs, buttons);
  // - dashboard: the allocation and value-history charts, toggles, the holdings table, the track-holding form;
  // - wallet: the deposit form (select, hints, QR), the withdraw form, the balances table, the withdrawals list;
  // - settings: the profile, email and password forms, the two-factor panel, the sessions list.
  const DARK_PAGES = ['markets', 'coin', 'dashboard', 'wallet', 'settings'];
  it.each(PAGES.filter((p) => DARK_PAGES.includes(p.name)).map((p) => [p.name, p] as const))(
    '%s has no serious or critical colour-contrast violations (dark theme)',
    async (name, target) => {
      expect(await axeCheck(name, target, 'dark', COLOUR_RULES)).toEqual({ violations: [], problems: [] });
    },
  );

  // The step-up dialog (a security change without a fresh confirmation opens it), light theme and a phone's width.
  it('the step-up dialog has no serious or critical violations and fits a 390 px screen', async () => {
    const { page, context, problems } = await suite.tab();
    await page.setViewportSize(VIEWPORTS.phone);
    const { email, password } = users.customer;
    expect((await context.request.post('/api/auth/login', { data: { email, password } })).status()).toBe(200);
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    // Measured and checked once open: during its opening animation it is scaled and faded in.
    const dialog = await openedDialog(page, 'Confirm it is you');
    if (SCREENSHOT_PASSES) await screenshot(page, 'phone', 'step-up-dialog');
    const box = await dialog.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Nothing was changed').first().waitFor();
    expect(problems).toEqual([]);
  });

  // The pages a customer sees with their data are measured at 390 px, stricter (every scrolling region, every control
  // on the screen), by readable-figures' phone test; here the visitors' pages (and their menu), the pages opened from
  // a mailed link, and the dashboard for a signed-in person's menu.
  // And one back-office page, the external reconciliation: its tables become cards on a phone.
  const PHONE_HERE = ['markets', 'login', 'signup', 'confirm-address', 'confirm-email-change', 'freeze', 'dashboard', 'admin-reconciliation'];
  it.each(PAGES.filter((p) => PHONE_HERE.includes(p.name)).map((p) => [p.name, p] as const))(
    '%s fits a 390 px phone screen: nothing wider than the screen, the menu holds Log out',
    async (name, target) => {
      const { result: overflow, problems } = await onPage(target, 'phone', async (page) => {
        await page.getByText('Simulated', { exact: true }).waitFor();
        // Wide tables scroll inside their own region; the page, its top bar and the content pane never do.
        const measured = await page.evaluate<{ page: number; bar: number; content: number }>(`(() => {
          const over = (el) => (el ? el.scrollWidth - el.clientWidth : -1);
          return { page: over(document.documentElement), bar: over(document.querySelector('.topbar')), content: over(document.querySelector('main')) };
        })()`);
        if (SCREENSHOT_PASSES || measured.page || measured.bar || measured.content) await screenshot(page, 'phone', name);
        await page.getByRole('button', { name: 'Menu' }).click();
        const menuItem = target.as ? 'Log out' : 'Dark theme';
        const item = page.locator('#cv-side-menu').getByRole('button', { name: menuItem });
        await item.waitFor();
        // Once open, the menu holds the keyboard focus (its first entry; the bar and the page are inert), so Escape
        // closes it again, as a keyboard user closes it, and the focus is back on the ☰ button.
        expect(await page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('true');
        await page.locator('#cv-side-menu :focus').waitFor();
        expect(await page.locator('main').getAttribute('inert')).toBe('');
        await page.keyboard.press('Escape');
        await item.waitFor({ state: 'hidden' });
        await page.locator('.topbar button[aria-label="Menu"]:focus').waitFor();
        return measured;
      });
      expect({ overflow, problems }).toEqual({ overflow: { page: 0, bar: 0, content: 0 }, problems: [] });
    },
  );

  it('a long name at 1024 px: cut with an ellipsis (whole on hover), Log out stays on the bar', async () => {
    const { page, context, problems } = await suite.tab();
    await page.setViewportSize({ width: 1024, height: 768 });
    const name = 'Maximiliana Konstantina Alexandrova-Wolkenstein von Hohenberg-Rosenthal zu Schwarzenburg';
    const long = await createUser(suite.app, suite.mail, { name });
    expect((await context.request.post('/api/auth/login', { data: { email: long.email, password: long.password } })).status()).toBe(200);
    await page.goto('/markets');
    const logOut = page.getByRole('banner').getByRole('button', { name: 'Log out' });
    await logOut.waitFor();
    const box = await logOut.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 1024).toBe(true);
    expect(await page.getByRole('banner').getByTitle(name).textContent()).toBe(name);
    expect(await page.evaluate<number>(`document.querySelector('.topbar').scrollWidth - document.querySelector('.topbar').clientWidth`)).toBe(0);
    expect(problems).toEqual([]);
  });

  it('coin, signed in on a 390 px phone: the order ticket comes before the stats, and its Buy is in view without scrolling', async () => {
    const trader: MainPage = { name: 'coin-trader', path: '/coin/ethereum', as: 'customer', ready: (p) => p.getByText('24 h high').waitFor() };
    const { result, problems } = await onPage(trader, 'phone', async (page) => {
      // As the page opens: its content pane at the top.
      await page.evaluate(`document.querySelector('main')?.scrollTo(0, 0)`);
      const buy = page.locator('cv-order-ticket mat-button-toggle.buy');
      await buy.waitFor();
      const [b, stats] = [await buy.boundingBox(), await page.getByText('24 h high').boundingBox()];
      if (SCREENSHOT_PASSES) await screenshot(page, 'phone', 'coin-trader');
      return { buyInView: !!b && b.y >= 0 && b.y + b.height <= VIEWPORTS.phone.height, ticketBeforeStats: !!b && !!stats && b.y < stats.y };
    });
    expect({ result, problems }).toEqual({ result: { buyInView: true, ticketBeforeStats: true }, problems: [] });
  });

  it('coin on a 390 px phone, scrolled to the stats: Buy and Sell stay at the bottom of the screen and open the ticket', async () => {
    const trader: MainPage = { name: 'coin-trader', path: '/coin/ethereum', as: 'customer', ready: (p) => p.getByText('24 h high').waitFor() };
    const { result, problems } = await onPage(trader, 'phone', async (page) => {
      const bar = page.getByRole('region', { name: 'Trade' });
      // The ticket is in view as the page opens: no bar.
      await page.evaluate(`document.querySelector('main')?.scrollTo(0, 0)`);
      await bar.waitFor({ state: 'detached' });
      // Scrolled down to the page's end, past the ticket: the bar is there, wholly on the screen.
      await page.getByText('Price source').scrollIntoViewIfNeeded();
      await bar.waitFor();
      const sell = bar.getByRole('button', { name: 'Sell ETH' });
      const box = await sell.boundingBox();
      if (SCREENSHOT_PASSES) await screenshot(page, 'phone', 'coin-trade-bar');
      const barOnScreen = !!box && box.y >= 0 && box.y + box.height <= VIEWPORTS.phone.height && box.x >= 0 && box.x + box.width <= VIEWPORTS.phone.width;
      // The menu opened over it lies above the bar, and the scrim beside the menu covers the rest of it: a tap where
      // Buy and Sell were reaches the menu or closes it, never the bar under it.
      const buyBox = await bar.getByRole('button', { name: 'Buy ETH' }).boundingBox();
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.locator('#cv-side-menu :focus').waitFor();
      await page.evaluate(`Promise.all(document.getElementById('cv-side-menu').getAnimations().map((a) => a.finished))`); // slid in
      const hit = async (b: typeof box): Promise<string> =>
        b
          ? page.evaluate(`(() => {
              const el = document.elementFromPoint(${b.x + b.width / 2}, ${b.y + b.height / 2});
              return el?.closest('#cv-side-menu') ? 'menu' : el?.classList.contains('scrim') ? 'scrim' : el?.outerHTML.slice(0, 80);
            })()`)
          : 'no box';
      const underMenu = { buy: await hit(buyBox), sell: await hit(box) };
      await page.keyboard.press('Escape');
      await page.locator('#cv-side-menu.open').waitFor({ state: 'detached' });
      // Sell opens the ticket on Sell, in view, with the cursor in its amount; the bar goes.
      await sell.click();
      const ticket = page.locator('cv-order-ticket');
      await ticket
        .getByRole('button', { name: 'Sell', pressed: true })
        .or(ticket.locator('mat-button-toggle.sell.mat-button-toggle-checked'))
        .first()
        .waitFor();
      await bar.waitFor({ state: 'detached' });
      const amount = ticket.getByLabel('Amount in USD');
      const focused = await amount.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement);
      const a = await amount.boundingBox();
      return { barOnScreen, underMenu, focused, amountInView: !!a && a.y >= 0 && a.y + a.height <= VIEWPORTS.phone.height };
    });
    expect({ result, problems }).toEqual({
      result: { barOnScreen: true, underMenu: { buy: 'menu', sell: 'scrim' }, focused: true, amountInView: true },
      problems: [],
    });
  });
});
