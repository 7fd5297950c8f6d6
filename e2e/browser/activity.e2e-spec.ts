import request from 'supertest';
import { journey, openInClient, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, type TestUser } from '../support/factories';
import { fund, waitForPrices } from '../support/money';

/**
 * The Transactions page's history as a statement, on a laptop and on a 390 px phone: a customer who was funded $1,000
 * and bought $100.00 of bitcoin for $100.10 sees one row per event (the buy: the dollars out for the bitcoin in, its
 * price, its $0.10 fee, its $100.00 value), not three ledger rows; the row's disclosure button shows its ledger lines
 * and hides them again. No accessibility violation, nothing wider than the screen. Prices stand still
 * (SIMULATED_VOLATILITY=0).
 */
describe('browser: activity', () => {
  const suite = useBrowserSuite({ SIMULATED_VOLATILITY: '0' });
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    await waitForPrices(suite.app);
  });

  it.each([1440, 390])('shows a trade as one row with its price, fee and value, expandable to its ledger lines, at %i px', async (width) => {
    const customer = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, customer, 'USD', '1000');
    await request(suite.app.url).post('/api/orders').set(customer.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '100.10' }).expect(201);
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, `activity-${width}`);
    const signIn = await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width, height: 900 });
    const history = page.getByTestId('transactions');

    await step('rows', async () => {
      await openInClient(page, '/transactions');
      await page.getByRole('heading', { name: 'Transactions', level: 1 }).waitFor();
      const trade = history.locator('tr.event').filter({ hasText: 'Trade' });
      await trade.waitFor();
      // Two events, two rows: the funding and the buy (not its USD, fee and BTC lines apart).
      expect(await history.locator('tr.event').count()).toBe(2);
      const text = (await trade.innerText()).replace(/\s+/g, ' ');
      expect(text).toContain('Bought');
      expect(text).toMatch(/-\$100\.00 ?→ ?for ?\+0\.000\d+ BTC/);
      expect(text).toContain('$0.10');
      expect(text).toMatch(/\$\d{2,3},\d{3}\.\d{2}/);
      await history.locator('tr.event').filter({ hasText: 'Adjustment' }).getByText('+$1,000.00').waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
    });

    await step('ledger lines', async () => {
      const trade = history.locator('tr.event').filter({ hasText: 'Trade' });
      const toggle = trade.getByRole('button', { name: 'Ledger lines' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      await toggle.click();
      const lines = page.getByRole('list', { name: 'Ledger lines of this event' });
      await lines.waitFor();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      expect((await lines.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
        'Trade USD · Available -$100.00',
        expect.stringMatching(/^Trade BTC · Available \+0\.000\d+ BTC$/),
        'Fee USD · Available -$0.10',
      ]);
      await page.getByText('USD balance after: $899.90').waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
    });

    await step('fold', async () => {
      const toggle = history.locator('tr.event').filter({ hasText: 'Trade' }).getByRole('button', { name: 'Ledger lines' });
      await toggle.click();
      // Folded once the lines are gone (the same change detection sets aria-expanded; read before it, on a loaded
      // machine, the button still said "true").
      await page.getByRole('list', { name: 'Ledger lines of this event' }).waitFor({ state: 'detached' });
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    });
  });
});
