import type { Page } from 'playwright-core';
import request from 'supertest';
import { screenshot, seriousA11yViolations, useBrowserSuite } from '../support/browser';
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
  { name: 'orders', path: '/orders', as: 'customer', ready: (p) => p.getByText('No open orders.').waitFor() },
  { name: 'transactions', path: '/transactions', as: 'customer', ready: (p) => p.getByText(/No transactions match/).waitFor() },
  { name: 'alerts', path: '/alerts', as: 'customer', ready: (p) => p.getByText(/No alerts yet\./).waitFor() },
  { name: 'settings', path: '/settings', as: 'customer', ready: (p) => p.getByRole('heading', { name: 'Active sessions' }).waitFor() },
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

describe('browser: every main page renders under the CSP and passes axe', () => {
  const suite = useBrowserSuite();
  const users = {} as Record<'customer' | 'admin', TestUser>;

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

  /** Opens `target` signed in as its user, in `theme`, waits for its content, and returns axe's serious and critical findings. */
  async function axeCheck(name: string, target: MainPage, theme: 'light' | 'dark'): Promise<{ violations: unknown[]; problems: string[] }> {
    const { page, context, problems } = suite.tab();
    if (target.as) {
      // Signs the context in through the API (it shares the browser's cookie jar); the login page has its own entry.
      const { email, password } = users[target.as];
      const res = await context.request.post('/api/auth/login', { data: { email, password } });
      expect(res.status()).toBe(200);
    }
    // The theme the client remembers (see ThemeService), set before it starts: no colour transitions mid-check.
    await context.addInitScript(
      (t) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('cv-theme', t),
      theme,
    );
    await page.goto(target.path);
    await target.ready(page);
    await page.getByText('Prices: simulated').waitFor();
    await page.getByRole('button', { name: theme === 'dark' ? 'Light theme' : 'Dark theme' }).waitFor();
    await screenshot(page, 'accessibility', `${name}-${theme}`);
    return { violations: await seriousA11yViolations(page), problems };
  }

  // The full pass: every main page in the default (light) theme. The client has one language (English).
  it.each(PAGES.map((p) => [p.name, p] as const))('%s has no serious or critical accessibility violations (light theme)', async (name, target) => {
    expect(await axeCheck(name, target, 'light')).toEqual({ violations: [], problems: [] });
  });

  // The dark theme on five pages that between them show nearly every component the theme restyles
  // (the admin pages are built from the same form fields, selects and tables), so a contrast
  // regression of a shared style shows on at least one of them:
  // - markets: the app bar and side nav, the search field, the data table with up/down change colours;
  // - coin: the candle chart, the range toggle group, the order ticket (buy/sell, inputs, buttons);
  // - dashboard: the allocation and value-history charts, toggles, the holdings table, the track-holding form;
  // - wallet: the deposit form (select, hints, QR), the withdraw form, the balances table, the withdrawals list;
  // - settings: the profile and password forms, the two-factor panel, the sessions list.
  const DARK_PAGES = ['markets', 'coin', 'dashboard', 'wallet', 'settings'];
  it.each(PAGES.filter((p) => DARK_PAGES.includes(p.name)).map((p) => [p.name, p] as const))(
    '%s has no serious or critical accessibility violations (dark theme)',
    async (name, target) => {
      expect(await axeCheck(name, target, 'dark')).toEqual({ violations: [], problems: [] });
    },
  );

  it.each(PAGES.filter((p) => !p.name.startsWith('admin-')).map((p) => [p.name, p] as const))(
    '%s fits a 390 px phone screen: nothing wider than the screen, the menu holds Log out',
    async (name, target) => {
      const { page, context, problems } = suite.tab();
      await page.setViewportSize({ width: 390, height: 844 });
      if (target.as) {
        const { email, password } = users[target.as];
        expect((await context.request.post('/api/auth/login', { data: { email, password } })).status()).toBe(200);
      }
      await page.goto(target.path);
      await target.ready(page);
      await page.getByText('Simulated', { exact: true }).waitFor();
      await screenshot(page, 'phone', name);
      // Wide tables scroll inside their own region; the page, its top bar and the content pane never do.
      const overflow = await page.evaluate<{ page: number; bar: number; content: number }>(`(() => {
        const over = (el) => (el ? el.scrollWidth - el.clientWidth : -1);
        return { page: over(document.documentElement), bar: over(document.querySelector('.topbar')), content: over(document.querySelector('mat-sidenav-content')) };
      })()`);
      expect(overflow).toEqual({ page: 0, bar: 0, content: 0 });
      await page.getByRole('button', { name: 'Menu' }).click();
      const menuItem = target.as ? 'Log out' : 'Dark theme';
      await page.getByRole('navigation').or(page.locator('mat-sidenav')).getByRole('button', { name: menuItem }).waitFor();
      expect(problems).toEqual([]);
    },
  );
});
