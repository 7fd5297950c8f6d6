import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { type BrowserTab, offlineContext, SCREENSHOT_PASSES, screenshot, seriousA11yViolations, tabIn, useBrowserSuite } from '../support/browser';
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
  { name: 'dashboard', path: '/dashboard', as: 'customer', ready: (p) => p.getByText('Unrealised P&L').waitFor() },
  { name: 'wallet', path: '/wallet', as: 'customer', ready: (p) => p.getByRole('button', { name: 'Create deposit' }).waitFor() },
  { name: 'address-book', path: '/wallet/addresses', as: 'customer', ready: (p) => p.getByText('No saved addresses yet.').waitFor() },
  {
    name: 'confirm-address',
    path: '/wallet/addresses/confirm?token=opened-by-the-accessibility-check',
    ready: (p) => p.getByRole('button', { name: 'Confirm address' }).waitFor(),
  },
  { name: 'orders', path: '/orders', as: 'customer', ready: (p) => p.getByText('No open orders.').waitFor() },
  { name: 'transactions', path: '/transactions', as: 'customer', ready: (p) => p.getByText(/No transactions match/).waitFor() },
  { name: 'alerts', path: '/alerts', as: 'customer', ready: (p) => p.getByText(/No alerts yet\./).waitFor() },
  { name: 'settings', path: '/settings', as: 'customer', ready: (p) => p.getByRole('heading', { name: 'Active sessions' }).waitFor() },
  {
    name: 'confirm-email-change',
    path: '/confirm-email-change?token=not-a-real-token',
    ready: (p) => p.getByRole('heading', { name: 'Confirm your new email address' }).waitFor(),
  },
  { name: 'activity', path: '/settings/activity', as: 'customer', ready: (p) => p.getByTestId('activity').getByText('Signed in').first().waitFor() },
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
];

/**
 * The colour rules of axe: all a second theme can change, since a theme restyles colours and leaves the structure
 * (names, roles, labels, landmarks) that the full pass of the light theme checks.
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

type Visitor = 'visitor' | 'customer' | 'admin';

describe('browser: every main page renders under the CSP and passes axe', () => {
  const suite = useBrowserSuite();
  const users = {} as Record<'customer' | 'admin', TestUser>;
  // One context per person and theme, reused from page to page as one person would browse (signed in once, the
  // client's hashed scripts cached), instead of a new sign-in and a cold start for every page.
  const contexts = new Map<string, Promise<BrowserContext>>();

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
    await Promise.all([...contexts.values()].map(async (c) => (await c).close()));
  });

  function contextFor(who: Visitor, theme: 'light' | 'dark'): Promise<BrowserContext> {
    const key = `${who}-${theme}`;
    let context = contexts.get(key);
    if (!context) {
      context = (async () => {
        const c = await offlineContext(suite.browser, suite.app.url);
        if (who !== 'visitor') {
          // Signs the context in through the API (it shares the browser's cookie jar); the login page has its own entry.
          const { email, password } = users[who];
          const res = await c.request.post('/api/auth/login', { data: { email, password } });
          expect(res.status()).toBe(200);
        }
        // The theme the client remembers (see ThemeService), set before it starts: no colour transitions mid-check.
        await c.addInitScript(
          (t) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('cv-theme', t),
          theme,
        );
        return c;
      })();
      contexts.set(key, context);
    }
    return context;
  }

  /** `target` opened in a new page of its person's context in `theme`; the page is closed after `body`. */
  async function onPage<T>(target: MainPage, theme: 'light' | 'dark', body: (tab: BrowserTab) => Promise<T>): Promise<T> {
    const tab = await tabIn(await contextFor(target.as ?? 'visitor', theme));
    try {
      return await body(tab);
    } finally {
      await tab.page.close();
    }
  }

  /** Opens `target` in `theme`, waits for its content, and returns axe's serious and critical findings (of `rules` only, when given). */
  function axeCheck(name: string, target: MainPage, theme: 'light' | 'dark', rules?: string[]): Promise<{ violations: unknown[]; problems: string[] }> {
    return onPage(target, theme, async ({ page, problems }) => {
      await page.goto(target.path);
      await target.ready(page);
      await page.getByText('Prices: simulated').waitFor();
      await page.getByRole('button', { name: theme === 'dark' ? 'Light theme' : 'Dark theme' }).waitFor();
      const violations = await seriousA11yViolations(page, rules);
      if (violations.length || problems.length || SCREENSHOT_PASSES) await screenshot(page, 'accessibility', `${name}-${theme}`);
      return { violations, problems: [...problems] };
    });
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
    const { page, context, problems } = suite.tab();
    await page.setViewportSize({ width: 390, height: 844 });
    const { email, password } = users.customer;
    expect((await context.request.post('/api/auth/login', { data: { email, password } })).status()).toBe(200);
    await page.goto('/settings');
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.getByLabel('Password').waitFor();
    if (SCREENSHOT_PASSES) await screenshot(page, 'phone', 'step-up-dialog');
    const box = await dialog.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Nothing was changed').first().waitFor();
    expect(problems).toEqual([]);
  });

  it.each(PAGES.filter((p) => !p.name.startsWith('admin-')).map((p) => [p.name, p] as const))(
    '%s fits a 390 px phone screen: nothing wider than the screen, the menu holds Log out',
    async (name, target) => {
      await onPage(target, 'light', async ({ page, problems }) => {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(target.path);
        await target.ready(page);
        await page.getByText('Simulated', { exact: true }).waitFor();
        // Wide tables scroll inside their own region; the page, its top bar and the content pane never do.
        const overflow = await page.evaluate<{ page: number; bar: number; content: number }>(`(() => {
          const over = (el) => (el ? el.scrollWidth - el.clientWidth : -1);
          return { page: over(document.documentElement), bar: over(document.querySelector('.topbar')), content: over(document.querySelector('mat-sidenav-content')) };
        })()`);
        if (SCREENSHOT_PASSES || overflow.page || overflow.bar || overflow.content) await screenshot(page, 'phone', name);
        expect(overflow).toEqual({ page: 0, bar: 0, content: 0 });
        await page.getByRole('button', { name: 'Menu' }).click();
        const menuItem = target.as ? 'Log out' : 'Dark theme';
        await page.getByRole('navigation').or(page.locator('mat-sidenav')).getByRole('button', { name: menuItem }).waitFor();
        expect(problems).toEqual([]);
      });
    },
  );
});
