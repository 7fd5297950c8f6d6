import Decimal from 'decimal.js';
import request from 'supertest';
import { journey, openInClient, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, type TestUser } from '../support/factories';
import { balanceOf, fund, waitForPrices } from '../support/money';
import { waitFor } from '../support/wait';

/**
 * The order ticket as a new user meets it, on a laptop and on a phone: the default "Amount (USD)" mode places a
 * limit order (it used to be refused: "quoteAmount is only for market orders"), the balance of what is paid is shown
 * and Max fills exactly what it pays for; the review shows the quantity, price, fee and total of the order the server
 * then creates, and the order is listed under Orders.
 */
describe('browser: the order ticket places a limit order by USD amount', () => {
  const suite = useBrowserSuite();
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    await waitForPrices(suite.app);
  });

  it.each([1280, 390])('at %i px', async (width) => {
    const customer = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, customer, 'USD', '5000');
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, `order-ticket-${width}`);
    expect((await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } })).status()).toBe(200);
    await page.setViewportSize({ width, height: 900 });
    const ticket = page.locator('cv-order-ticket');
    const figure = async (name: string): Promise<string> => (await ticket.locator(`[data-testid=figure-${name}]`).getAttribute('data-value')) ?? '';

    await step('ticket', async () => {
      // The balances (GET /api/orders/terms) are held back until the page is laid out: the row they fill keeps its
      // place meanwhile, so nothing under it moves when they come (a tap on the link below once missed it).
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/orders/terms**', async (route) => {
        await held;
        await route.continue();
      });
      await openInClient(page, '/coin/bitcoin');
      await ticket.getByRole('heading', { name: 'Trade BTC' }).waitFor();
      const link = page.getByRole('link', { name: 'Convert another asset into BTC' });
      await ticket.getByTestId('available-pending').waitFor();
      const before = await link.boundingBox();
      release();
      await ticket.getByTestId('available').getByText('Available: $5,000.00').waitFor();
      const after = await link.boundingBox();
      await page.unroute('**/api/orders/terms**');
      expect(before).not.toBeNull();
      expect(Math.abs(after!.y - before!.y)).toBeLessThan(1);
      // A limit far below the market, so that the order rests.
      await ticket.getByRole('radio', { name: 'Limit' }).click();
      await ticket.getByLabel('Limit price (USD)').fill('1000');
    });

    await step('max', async () => {
      await ticket.getByRole('button', { name: 'Max' }).click();
      // The field shows the value once Angular has rendered it (ngModel writes the input after change detection).
      // Polled from here: a string predicate given to page.waitForFunction that is false at first is evaluated again in
      // the page, where the CSP (no 'unsafe-eval') refuses it (CI: EvalError when Max's value came a frame late).
      await waitFor(async () => (await ticket.getByLabel('Amount in USD').inputValue()) !== '', 10_000, 'the amount Max wrote');
      expect(await ticket.getByLabel('Amount in USD').inputValue()).toBe('5000');
      // 5,000 in total, fee included: notional 4,995.004995 → 4.99500499 BTC at 1,000, holding 4,995.00499 + 4.99500499 fee.
      expect([await figure('quantity'), await figure('total')]).toEqual(['4.99500499', '4999.99999499']);
    });

    let review: Record<string, string> = {};
    await step('review', async () => {
      // 1,001 in total, fee included: 1,000.00 of BTC at 1,000 and a 1.00 fee.
      await ticket.getByLabel('Amount in USD').fill('1001');
      await ticket.getByRole('button', { name: 'Review order' }).click();
      await ticket.getByRole('group', { name: 'Confirm order' }).getByText('Buy 1 BTC with a limit at $1,000.00.').waitFor();
      review = { quantity: await figure('quantity'), price: await figure('price'), fee: await figure('fee'), total: await figure('total') };
      expect(review).toEqual({ quantity: '1', price: '1000', fee: '1', total: '1001' });
      expect(await seriousA11yViolations(page)).toEqual([]);
    });

    await step('placed', async () => {
      await ticket.getByRole('button', { name: 'Confirm buy' }).click();
      await ticket.getByText('Order open').waitFor();
      const [order] = (await request(suite.app.url).get('/api/orders').set(customer.auth).expect(200)).body.items;
      expect(order).toMatchObject({ type: 'limit', side: 'buy', status: 'open', reservedAsset: 'USD' });
      expect([order.quantity, order.limitPrice, order.reservedAmount].map((v: string) => new Decimal(v).toFixed())).toEqual([
        review.quantity,
        review.price,
        review.total,
      ]);
      expect(new Decimal((await balanceOf(suite.app, customer, 'USD')).locked).toFixed()).toBe(review.total);
      // A new order starts from what is left.
      await ticket.getByRole('button', { name: 'New order' }).click();
      await ticket.getByTestId('available').getByText('Available: $3,999.00').waitFor();
    });

    await step('orders', async () => {
      await openInClient(page, '/orders');
      const open = page.getByTestId('open-orders');
      await open.getByRole('row').filter({ hasText: '$1,000.00' }).filter({ hasText: 'BTC' }).waitFor();
      expect(
        await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth),
      ).toBeLessThanOrEqual(width);
    });
  });
});
