import type { Page } from 'playwright-core';
import { chooseOption, journey, openInClient, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, type TestUser } from '../support/factories';
import { balanceOf, fund, waitForPrices } from '../support/money';

/**
 * The Convert page on a laptop and on a phone: USD → BTC, then all of that BTC → ETH, through the page only (side
 * nav, asset pickers, "Get quote", the countdown, "Convert"), with no accessibility violation, no page error and
 * nothing wider than the screen. Quotes hold 2.5 s here (CONVERT_QUOTE_TTL_MS), so the phone run also sees one expire
 * and refreshes it.
 */
describe('browser: convert one asset into another', () => {
  const suite = useBrowserSuite({ CONVERT_QUOTE_TTL_MS: '2500' });
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    await waitForPrices(suite.app);
  });

  async function pick(page: Page, field: 'From' | 'To', option: RegExp): Promise<void> {
    await chooseOption(page, field, { name: option });
  }

  /**
   * Converts at the quote on screen and waits until the page says it is done. A quote is held for 2.5 s here: on a busy
   * machine the checks before this step can outlast it (the page then offers "Refresh quote", as a person would see
   * it, instead of Convert), and so can the way from the click to the server (the server then refuses it as expired,
   * and the page says so and offers a new quote): each time, a new quote is taken, as a person would. Returns what the
   * quote it converted at said would be received.
   */
  async function convertAtQuote(page: Page): Promise<string> {
    const convert = page.getByRole('button', { name: 'Convert', exact: true });
    const refresh = page.getByRole('button', { name: 'Refresh quote' });
    const converted = page.getByTestId('convert-result').getByRole('heading', { name: 'Converted' });
    for (let attempt = 1; ; attempt++) {
      await convert.or(refresh).first().waitFor();
      if (await refresh.isVisible()) {
        await refresh.click();
        await convert.waitFor();
      }
      // What the quote converted at says you receive.
      const receive = (await page.getByTestId('quote-receive').innerText()).trim();
      try {
        await convert.click({ timeout: 3_000 });
        // Done, or refused as expired on its way (Refresh quote is offered again).
        await converted.or(refresh).first().waitFor();
        if (await converted.isVisible()) return receive;
      } catch (err) {
        if (attempt >= 5) throw err;
      }
      if (attempt >= 5) throw new Error('every quote expired before the server converted at it');
    }
  }

  async function accessible(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  it.each([1280, 390])('converts USD to BTC and then BTC to ETH at %i px', async (width) => {
    const customer = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, customer, 'USD', '500');
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, `convert-${width}`);
    const signIn = await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width, height: 900 });

    await step('nav', async () => {
      await openInClient(page, '/wallet');
      await page.getByRole('heading', { name: 'Wallet' }).waitFor();
      if (width < 600) await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Convert' }).click();
      await page.getByRole('heading', { name: 'Convert', level: 1 }).waitFor();
    });

    await step('usd-to-btc-quote', async () => {
      await pick(page, 'From', /^USD \(\$500\.00 available\)/);
      await pick(page, 'To', /^BTC/);
      await page.getByLabel('Amount (USD)').fill('100');
      await page.getByRole('button', { name: 'Get quote' }).click();
      await page.getByRole('heading', { name: 'Your quote' }).waitFor();
      await page
        .getByRole('timer')
        .filter({ hasText: /This price is held for \d+ more seconds?\./ })
        .waitFor();
      await accessible(page);
    });

    if (width < 600) {
      await step('quote-expires', async () => {
        await page.getByRole('button', { name: 'Refresh quote' }).waitFor({ timeout: 10_000 });
        await page.getByText('This quote has expired.').waitFor();
        await page.getByRole('button', { name: 'Refresh quote' }).click();
        await page.getByRole('timer').waitFor();
      });
    }

    await step('usd-to-btc-settled', async () => {
      const receive = await convertAtQuote(page);
      const result = page.getByTestId('convert-result');
      await result.getByRole('heading', { name: 'Converted' }).waitFor();
      await result.getByText(receive).waitFor();
      await page.getByTestId('convert-history').getByRole('row').filter({ hasText: receive }).waitFor();
      expect((await balanceOf(suite.app, customer, 'BTC')).available).not.toBe('0');
    });

    await step('btc-to-eth', async () => {
      const btc = (await balanceOf(suite.app, customer, 'BTC')).available;
      await page.getByRole('button', { name: 'New conversion' }).click();
      await pick(page, 'From', /^BTC \(/);
      await pick(page, 'To', /^ETH/);
      await page.getByLabel('Amount (BTC)').fill(btc);
      await page.getByRole('button', { name: 'Get quote' }).click();
      await page
        .getByTestId('quote-rate')
        .filter({ hasText: /^1 BTC = [\d,.]+ ETH$/ })
        .waitFor();
      await convertAtQuote(page);
      await page.getByTestId('convert-result').getByRole('heading', { name: 'Converted' }).waitFor();
      await page.getByTestId('convert-history').getByRole('row').filter({ hasText: 'ETH' }).waitFor();
      expect(Number((await balanceOf(suite.app, customer, 'ETH')).available)).toBeGreaterThan(0);
      await accessible(page);
      // Nothing on the page is wider than the screen (the history is a list of cards on a phone).
      expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
    });

    await step('from-coin-page', async () => {
      // The coin page's link opens Convert with that coin as what is received.
      await openInClient(page, '/coin/ethereum');
      await page.getByRole('link', { name: 'Convert another asset into ETH' }).click();
      await page.getByRole('heading', { name: 'Convert', level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/convert');
      await page.getByRole('combobox', { name: 'To' }).filter({ hasText: 'ETH' }).waitFor();
      await pick(page, 'From', /^USD \(/);
      await page.getByLabel('Amount (USD)').fill('20');
      await page.getByRole('button', { name: 'Get quote' }).click();
      await page.getByRole('heading', { name: 'Your quote' }).waitFor();
      expect(await page.getByTestId('quote-receive').innerText()).toMatch(/ETH/);
    });
  });
});
