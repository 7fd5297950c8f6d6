import { journey, useBrowserSuite } from '../support/browser';
import { uniqueEmail, verificationCode } from '../support/factories';

/**
 * A new customer's journey through the served client, one named step per page
 * (each screenshotted to e2e/artifacts/screenshots/journey/). The backend runs
 * on simulated prices and the sandbox payment provider (the defaults outside
 * production); mail goes to the suite's SMTP sink.
 */
describe('browser: a new customer signs up, funds the account and buys a coin', () => {
  const suite = useBrowserSuite();

  it('goes from sign-up to a priced position, with no page or CSP errors on the way', async () => {
    const { page, problems } = suite.tab();
    const step = journey(page, 'journey', problems);
    const email = uniqueEmail('journey');
    const password = 'Journey-pass-42';

    await step('markets', async () => {
      await page.goto('/');
      await page.waitForURL('**/markets');
      await page.getByRole('heading', { name: 'Markets' }).waitFor();
      await page.getByRole('link', { name: /Bitcoin/ }).waitFor();
      // Simulated prices are never shown as a real market.
      await page.getByText('Prices: simulated').waitFor();
    });

    await step('signup', async () => {
      await page.getByRole('link', { name: 'Sign up' }).first().click();
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
      await page.getByLabel('Name').fill('Journey Tester');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.waitForURL('**/verify-email?**');
    });

    await step('verify-email', async () => {
      await page.getByLabel('Code').fill(await verificationCode(suite.mail, email));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByText('Your email is verified.').waitFor();
    });

    await step('login', async () => {
      await page.getByText('Your email is verified.').getByRole('link', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL('**/dashboard');
      await page.getByText('No holdings yet.').waitFor();
    });

    await step('deposit', async () => {
      await page.getByRole('link', { name: 'Wallet' }).click();
      await page.getByRole('heading', { name: 'Wallet' }).waitFor();
      await page.getByLabel(/^Amount \(USD/).fill('100');
      await page.getByRole('button', { name: 'Create deposit' }).click();
      await page.getByText('Send exactly').waitFor();
      await page.getByRole('button', { name: 'Simulate payment' }).click();
      await page.getByRole('definition').filter({ hasText: /^finished$/ }).waitFor();
    });

    await step('wallet-balance', async () => {
      const usdRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'USD', exact: true }) });
      await usdRow.getByRole('cell', { name: '100', exact: true }).first().waitFor();
      await page.getByText('$100.00').first().waitFor();
    });

    await step('coin', async () => {
      await page.getByRole('link', { name: 'Markets' }).click();
      await page.getByRole('link', { name: /Bitcoin/ }).click();
      await page.waitForURL('**/coin/bitcoin');
      await page.getByRole('heading', { name: /Bitcoin/ }).first().waitFor();
      await page.getByLabel('Amount in USD').fill('50');
      await page.getByRole('button', { name: 'Review order' }).click();
      await page.getByRole('button', { name: 'Confirm buy' }).click();
      await page.getByRole('status').getByText('Order filled').waitFor();
    });

    await step('portfolio', async () => {
      await page.getByRole('link', { name: 'Portfolio' }).click();
      await page.getByRole('heading', { name: 'Holdings' }).waitFor();
      const btc = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Bitcoin' }) });
      await btc.waitFor();
      const cells = await btc.getByRole('cell').allInnerTexts();
      // Asset, amount, average cost, price, value, P&L, allocation.
      expect(cells).toHaveLength(7);
      expect(Number(cells[1].replace(/,/g, ''))).toBeGreaterThan(0);
      expect(cells[5]).toMatch(/^-?\$[\d,]+\.\d{2} [+-]?\d+\.\d{2} %$/);
      expect(cells[6]).toMatch(/%$/);
      await page.getByText('Unrealised P&L').waitFor();
    });

    // The journey continues here as the screens land, in order: set a price alert,
    // enable 2FA, request a withdrawal, an admin approves and completes it, and the
    // customer sees it completed. Each is one more `step(...)` on the same page.
  }, 180_000);
});
