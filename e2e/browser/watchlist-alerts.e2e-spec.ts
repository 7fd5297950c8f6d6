import type { Page } from 'playwright-core';
import { journey, openInClient, openedDialog, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser } from '../support/factories';
import { waitForPrices } from '../support/money';

/**
 * The watchlist and an alert that would fire at once, through the pages only, on a laptop and on a phone: star an
 * asset (from the markets list on a laptop, from its own page on a phone), see it first on the markets page and on
 * the dashboard's watchlist card, then ask for an alert the price already reaches: the page says it would fire at
 * once, with the price now, and creates it only when confirmed; it fires. No accessibility violation, no page error,
 * nothing wider than the screen.
 */
describe('browser: the watchlist, and an alert that would fire at once', () => {
  const suite = useBrowserSuite();

  beforeAll(async () => {
    await waitForPrices(suite.app);
  });

  async function accessible(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  async function fitsTheScreen(page: Page): Promise<void> {
    expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
  }

  it.each([1280, 390])('stars an asset, sees it first on markets and the dashboard, and confirms a crossed alert at %i px', async (width) => {
    const customer = await createUser(suite.app, suite.mail);
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, `watchlist-alerts-${width}`);
    const signIn = await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width, height: 900 });
    const watchedRows = page.getByTestId('watchlist-rows');

    await step('star', async () => {
      if (width < 600) {
        // On a phone: from the asset's own page.
        await openInClient(page, '/coin/ethereum');
        await page.getByRole('heading', { name: /Ethereum/, level: 1 }).waitFor();
        await page.getByRole('button', { name: 'Add Ethereum to watchlist' }).click();
        await page.getByRole('button', { name: 'Remove Ethereum from watchlist' }).waitFor();
        await accessible(page);
        await fitsTheScreen(page);
        await openInClient(page, '/markets');
      } else {
        await openInClient(page, '/markets');
        await page.getByRole('heading', { name: 'Markets', level: 1 }).waitFor();
        await page.getByRole('button', { name: 'Add Ethereum to watchlist' }).click();
      }
      await page.getByRole('heading', { name: 'Markets', level: 1 }).waitFor();
    });

    await step('markets-first', async () => {
      await page.getByRole('rowheader', { name: 'Your watchlist' }).waitFor();
      // The first asset of the table is the starred one, above "All assets".
      const firstAsset = page.locator('tbody tr.clickable').first();
      await firstAsset.getByText('Ethereum').waitFor();
      expect(await watchedRows.locator('tr.clickable').count()).toBe(1);
      await page.getByRole('rowheader', { name: 'All assets' }).waitFor();
      await page.getByRole('button', { name: 'Remove Ethereum from watchlist' }).waitFor();
      await accessible(page);
      await fitsTheScreen(page);
    });

    await step('dashboard-card', async () => {
      await openInClient(page, '/dashboard');
      await page.getByRole('heading', { name: 'Portfolio', level: 1 }).waitFor();
      const card = page.getByTestId('watchlist');
      const eth = card.getByRole('listitem').filter({ hasText: 'Ethereum' });
      await eth.waitFor();
      // Its price in dollars and its 24 h change in percent, as the formatters write them.
      await eth.getByText(/^\$[\d,]+\.\d{2}$/).waitFor();
      await eth.getByText(/^[+-]?\d+\.\d{2}%$/).waitFor();
      expect(await card.getByRole('listitem').count()).toBe(1);
      await accessible(page);
      await fitsTheScreen(page);
    });

    await step('crossed-alert', async () => {
      await openInClient(page, '/alerts?symbol=BTC');
      await page.getByRole('heading', { name: 'Price alerts' }).waitFor();
      await page.getByRole('combobox', { name: 'Asset' }).filter({ hasText: 'BTC' }).waitFor();
      // A new alert is on the price, rising above its target.
      await page.getByRole('combobox', { name: 'Condition' }).filter({ hasText: 'Price rises above' }).waitFor();
      // BTC trades far above a dollar: this alert would fire at once.
      await page.getByLabel('Target price (USD)').fill('1');
      await page.getByRole('button', { name: 'Create alert' }).click();
      const question = await openedDialog(page, 'This alert would fire at once');
      await question.getByText(/^BTC already trades at \$[\d,]+\.\d{2}, at or above \$1\.00: the alert would fire at once\. Do you want it anyway\?/).waitFor();
      await accessible(page);
      await question.getByRole('button', { name: 'Create and fire now' }).click();
      await question.waitFor({ state: 'detached' });
      const row = page.getByTestId('alerts').getByRole('row').filter({ hasText: '$1.00' });
      // Created, then fired at once (the list follows the alert's notification).
      await row.getByText('triggered').waitFor({ timeout: 15_000 });
      await accessible(page);
      await fitsTheScreen(page);
    });
  });
});
