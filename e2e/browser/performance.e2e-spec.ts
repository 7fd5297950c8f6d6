import request from 'supertest';
import { journey, openInClient, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, type TestUser } from '../support/factories';
import { fund, waitForPrices } from '../support/money';

/**
 * The performance page on a laptop (reached from the side nav) and on a phone: a customer who deposited $1,000 and
 * bought some bitcoin sees the deposit as money put in, not as a gain, both returns, the chart from the first funding
 * and a card per asset; the range toggle reloads the figures; no accessibility violation, nothing wider than the screen.
 * Prices stand still (SIMULATED_VOLATILITY=0), so the only loss is the buy's fee.
 */
describe('browser: performance', () => {
  const suite = useBrowserSuite({ CANDLE_HISTORY_BACKFILL: 'true', SIMULATED_VOLATILITY: '0' });
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    await waitForPrices(suite.app);
  });

  it.each([1440, 390])('shows net deposits apart from the gain, both returns and each asset at %i px', async (width) => {
    const customer = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, customer, 'USD', '1000');
    // $100.10 buys $100.00 of bitcoin and pays a $0.10 fee.
    await request(suite.app.url).post('/api/orders').set(customer.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '100.10' }).expect(201);
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, `performance-${width}`);
    const signIn = await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width, height: 900 });
    const figures = page.getByTestId('performance-figures');

    await step('open', async () => {
      if (width < 600) {
        await openInClient(page, '/performance');
      } else {
        await openInClient(page, '/dashboard');
        await page.getByRole('heading', { name: 'Portfolio', level: 1 }).waitFor();
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Performance' }).click();
      }
      await page.getByRole('heading', { name: 'Performance', level: 1 }).waitFor();
      await figures.waitFor();
      // The deposit is money put in; the gain is the fee lost, not +$1,000.00.
      await figures.getByText('+$1,000.00').waitFor();
      await figures.getByText('-$0.10').waitFor();
      await figures.getByText('Time-weighted return').waitFor();
      await figures.getByText('Money-weighted return (IRR)').waitFor();
      const summary = await page.getByTestId('performance-summary').innerText();
      expect(summary).toContain('$1,000.00 net deposits');
      expect(summary).toContain('$999.90 now');
      await page.getByTestId('performance-assets').getByRole('row').filter({ hasText: 'Bitcoin' }).filter({ hasText: '$0.10' }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
    });

    await step('range', async () => {
      await page.getByRole('radio', { name: 'ALL (Since the first deposit)' }).click();
      await figures.getByText('+$1,000.00').waitFor();
      await page.locator('cv-performance-chart canvas').first().waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      // Nothing is wider than the screen (the asset table is a list of cards on a phone).
      expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
    });
  });

  it('says when there is nothing to measure yet', async () => {
    const customer = await createUser(suite.app, suite.mail);
    const tab = await suite.tab();
    const signIn = await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(signIn.status()).toBe(200);
    await openInClient(tab.page, '/performance');
    await tab.page.getByTestId('performance-empty').getByText('Performance starts with your first deposit.', { exact: false }).waitFor();
    expect(await seriousA11yViolations(tab.page)).toEqual([]);
  });
});
