import type { Page } from 'playwright-core';
import { chooseOption, journey, openInClient, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, type TestUser } from '../support/factories';
import { balanceOf, fund, waitForPrices } from '../support/money';
import { createWithdrawer } from '../support/withdrawer';

const TRON_ADDRESS = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

/**
 * "Cash out USD" on the wallet page, on a laptop and on a phone: the page says there are no bank transfers, quotes
 * $100 as USDT on Tron (the network of the saved address) with its countdown, the rate, the fees and what arrives,
 * and confirms it with a backup code; the new withdrawal is listed as "Cash-out: $100.00 → … USDT" and exactly
 * $100.00 left the USD balance. No accessibility violation, no page error, nothing wider than the screen. Quotes hold
 * 2.5 s here (CONVERT_QUOTE_TTL_MS), so the run also sees one expire and refreshes it.
 */
describe('browser: cash out USD as a stablecoin', () => {
  const suite = useBrowserSuite({ CONVERT_QUOTE_TTL_MS: '2500', SIMULATED_VOLATILITY: '0' });
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    await waitForPrices(suite.app);
  });

  async function accessible(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  /**
   * Confirms the quote on screen with `code`. The quote holds 2.5 s: when it has run out before the click (a busy
   * machine), the page offers "Refresh quote", as a person would see it; refreshed, it is confirmed at the new quote.
   */
  async function confirmAtQuote(page: Page, code: string): Promise<void> {
    const confirm = page.getByRole('button', { name: 'Confirm cash-out' });
    const refresh = page.getByRole('button', { name: 'Refresh quote' });
    for (let attempt = 1; ; attempt++) {
      await confirm.or(refresh).first().waitFor();
      if (await refresh.isVisible()) {
        await refresh.click();
        await confirm.waitFor();
      }
      await page.getByRole('form', { name: 'Confirm the cash-out' }).getByLabel('Two-factor code').fill(code);
      try {
        await confirm.click({ timeout: 2_000 });
        await page.getByTestId('cash-out-created').or(page.getByTestId('cash-out-expired')).first().waitFor();
        if (await page.getByTestId('cash-out-created').isVisible()) return;
      } catch (err) {
        if (attempt >= 5) throw err;
      }
      if (attempt >= 5) throw new Error('the quote kept expiring before it was confirmed');
    }
  }

  it.each([1280, 390])('quotes $100 as USDT, shows what arrives and cashes it out at %i px', async (width) => {
    const customer = await createWithdrawer(suite.app, suite.mail, { asset: 'USDT', network: 'tron', address: TRON_ADDRESS });
    await fund(suite.app, admin, customer, 'USD', '500');
    const codes = [...customer.backupCodes!];
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, `cash-out-${width}`);
    const signIn = await tab.context.request.post('/api/auth/login', {
      data: { email: customer.email, password: customer.password, twoFactorCode: codes.shift() },
    });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width, height: 900 });

    await step('mode', async () => {
      await openInClient(page, '/wallet');
      await page.getByRole('heading', { name: 'Wallet', level: 1 }).waitFor();
      await page.getByRole('radio', { name: 'Cash out USD' }).click();
      await page.getByText('We have no bank transfers. Cash-out sends your dollars as USDT/USDC to an address you control, at the rate shown.').waitFor();
      // USDT, on Tron: the network of the saved address, and that address.
      await page.getByRole('combobox', { name: 'Network' }).filter({ hasText: 'tron' }).waitFor();
      await page.getByRole('combobox', { name: 'To saved address' }).filter({ hasText: 'USDT test wallet' }).waitFor();
      await accessible(page);
    });

    await step('quote', async () => {
      await chooseOption(page, 'Send as', { name: 'USDT', exact: true });
      await page.getByRole('form', { name: 'Cash out USD' }).getByLabel('Amount (USD)').fill('100');
      await page.getByRole('button', { name: 'Get quote' }).click();
      const review = page.getByTestId('cash-out-quote');
      await review.getByRole('heading', { name: 'Review your cash-out' }).waitFor();
      await page.getByTestId('cash-out-pay').filter({ hasText: '$100.00' }).waitFor();
      await page.getByTestId('cash-out-rate').filter({ hasText: '$1.00 = 0.99980003 USDT' }).waitFor();
      await page.getByTestId('cash-out-receive').filter({ hasText: '97.380123 USDT' }).waitFor();
      await review.getByText('2.5 USDT').waitFor();
      await accessible(page);
      // Held for 2.5 s: it runs out, and "Refresh quote" asks again at the live price.
      await page.getByTestId('cash-out-expired').waitFor({ timeout: 10_000 });
      await page.getByRole('button', { name: 'Refresh quote' }).click();
      await page.getByRole('timer').waitFor();
    });

    await step('confirm', async () => {
      await confirmAtQuote(page, codes.shift()!);
      await page
        .getByTestId('cash-out-created')
        .filter({ hasText: /Cash-out requested: \$100\.00 → 97\.380123 USDT to "USDT test wallet" on tron/ })
        .waitFor();
      await page.getByTestId('withdrawals').getByText('Cash-out: $100.00 → 97.380123 USDT').waitFor();
      // Ready for another cash-out: the amount is empty, and not marked as wrong.
      expect(await page.getByRole('form', { name: 'Cash out USD' }).getByText('Enter an amount').count()).toBe(0);
      expect(await balanceOf(suite.app, customer, 'USD')).toMatchObject({ available: '400.00', locked: '0.00' });
      expect(await balanceOf(suite.app, customer, 'USDT')).toMatchObject({ available: '0.00000000', locked: '99.88012300' });
      await accessible(page);
      // Nothing on the page is wider than the screen (the withdrawals are a list of cards on a phone).
      expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
    });
  });
});
