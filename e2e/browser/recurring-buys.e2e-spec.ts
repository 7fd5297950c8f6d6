import type { Page } from 'playwright-core';
import { chooseOption, journey, openInClient, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, type TestUser } from '../support/factories';
import { fund, waitForPrices } from '../support/money';

/**
 * Recurring buys through the page only, on a laptop (from the side nav) and on a phone (from a coin's "Repeat this
 * buy"): start a weekly buy of $10.00 of BTC, see its first buy run and its history, pause it; no accessibility
 * violation, no page error, nothing wider than the screen. The runner ticks every 200 ms here
 * (RECURRING_BUYS_TICK_MS), so the first buy runs while the page is open.
 */
describe('browser: recurring buys', () => {
  const suite = useBrowserSuite({ RECURRING_BUYS_TICK_MS: '200' });
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    await waitForPrices(suite.app);
  });

  async function accessible(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  it.each([1280, 390])('schedules a weekly buy, sees it run, and pauses it at %i px', async (width) => {
    const customer = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, customer, 'USD', '500');
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, `recurring-${width}`);
    const signIn = await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width, height: 900 });
    const list = page.getByTestId('recurring-buys');
    const row = list.getByRole('row').filter({ hasText: 'BTC' });

    await step('open', async () => {
      if (width < 600) {
        await openInClient(page, '/coin/bitcoin');
        await page.getByRole('link', { name: 'Repeat this buy' }).click();
      } else {
        await openInClient(page, '/wallet');
        await page.getByRole('heading', { name: 'Wallet' }).waitFor();
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Recurring buys' }).click();
      }
      await page.getByRole('heading', { name: 'Recurring buys', level: 1 }).waitFor();
      await list.getByText('No recurring buys yet.', { exact: false }).waitFor();
      await accessible(page);
    });

    await step('create', async () => {
      if (width >= 600) {
        await chooseOption(page, 'Asset', { name: /^BTC · / });
      } else {
        await page.getByRole('combobox', { name: 'Asset' }).filter({ hasText: 'BTC' }).waitFor();
      }
      await page.getByLabel('Amount (USD)').fill('10');
      await page.getByRole('button', { name: 'Start recurring buy' }).click();
      await row.filter({ hasText: '$10.00' }).filter({ hasText: 'Weekly' }).filter({ hasText: 'active' }).waitFor();
    });

    await step('first-run', async () => {
      // The first buy runs at once; the list follows the filled order's notification.
      await row.filter({ hasText: 'filled' }).waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: 'History of your weekly buy of $10.00 of BTC' }).click();
      const runs = page.getByTestId('recurring-runs');
      await runs.getByRole('row').filter({ hasText: 'filled' }).filter({ hasText: 'BTC' }).waitFor();
      await accessible(page);
    });

    await step('pause', async () => {
      await page.getByRole('button', { name: 'Pause your weekly buy of $10.00 of BTC' }).click();
      await row.filter({ hasText: 'paused' }).waitFor();
      await page.getByRole('button', { name: 'Resume your weekly buy of $10.00 of BTC' }).waitFor();
      await accessible(page);
      // Nothing on the page is wider than the screen (the tables are lists of cards on a phone).
      expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
    });
  });
});
