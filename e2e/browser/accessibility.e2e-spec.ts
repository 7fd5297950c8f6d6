import type { Page } from 'playwright-core';
import { screenshot, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, TestUser } from '../support/factories';

interface MainPage {
  name: string;
  path: string;
  /** Needs a signed-in user. */
  signedIn?: boolean;
  /** Resolves once the page shows its content (not a loading state). */
  ready(page: Page): Promise<void>;
}

/** Every main page of the client; a new screen is one more entry. */
const PAGES: MainPage[] = [
  { name: 'markets', path: '/markets', ready: (p) => p.getByRole('link', { name: /Bitcoin/ }).waitFor() },
  { name: 'coin', path: '/coin/bitcoin', ready: (p) => p.getByText('24 h high').waitFor() },
  { name: 'login', path: '/login', ready: (p) => p.getByRole('heading', { name: 'Log in' }).waitFor() },
  { name: 'signup', path: '/signup', ready: (p) => p.getByRole('heading', { name: 'Create your account' }).waitFor() },
  { name: 'dashboard', path: '/dashboard', signedIn: true, ready: (p) => p.getByText('Unrealised P&L').waitFor() },
  { name: 'wallet', path: '/wallet', signedIn: true, ready: (p) => p.getByRole('button', { name: 'Create deposit' }).waitFor() },
];

describe('browser: every main page renders under the CSP and passes axe', () => {
  const suite = useBrowserSuite();
  let user: TestUser;

  beforeAll(async () => {
    user = await createUser(suite.app, suite.mail);
  });

  it.each(PAGES.map((p) => [p.name, p] as const))('%s has no serious or critical accessibility violations, in the light and the dark theme', async (name, target) => {
    const { page, context, problems } = suite.tab();
    if (target.signedIn) {
      // Signs the context in through the API (it shares the browser's cookie jar); the login page has its own entry.
      const res = await context.request.post('/api/auth/login', { data: { email: user.email, password: user.password } });
      expect(res.status()).toBe(200);
    }
    await page.goto(target.path);
    await target.ready(page);
    await page.getByText('Prices: simulated').waitFor();
    await screenshot(page, 'accessibility', `${name}-light`);
    const light = await seriousA11yViolations(page);
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.getByRole('button', { name: 'Light theme' }).waitFor();
    await screenshot(page, 'accessibility', `${name}-dark`);
    const dark = await seriousA11yViolations(page);
    expect({ light, dark }).toEqual({ light: [], dark: [] });
    expect(problems).toEqual([]);
  });
});
