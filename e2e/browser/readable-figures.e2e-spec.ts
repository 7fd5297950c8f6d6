import type { Page } from 'playwright-core';
import request from 'supertest';
import { openInClient, offlineContext, SCREENSHOT_PASSES, screenshot, tabIn, type BrowserTab, useBrowserSuite } from '../support/browser';
import { createUser } from '../support/factories';
import { fund, waitForPrices } from '../support/money';
import { waitFor } from '../support/wait';
import { createWithdrawer, type Withdrawer } from '../support/withdrawer';

/**
 * What a customer reads must be written for people. Tried against main as a new user would: the wallet showed
 * "0.009607329703437802 BTC available" and a USD balance as "3,967.684966", activity read "Bought ≈0.00960733 BTC at
 * 104087.19497179 USD", notifications carried ISO timestamps and deposit ids. This suite gives a customer every kind
 * of record (deposits paid in two currencies, market buys by amount, which leave 18-digit quantities, a resting limit
 * order, a withdrawal, fired and armed alerts, a tracked holding with long decimals, an odd-cents USD balance) and
 * walks every customer page, on a desktop and on a 390 px phone, with the notifications menu open, failing on any
 * text a person should never be shown.
 */

interface CustomerPage {
  name: string;
  path: string;
  /** Resolves once the page shows the customer's data (not a loading state or an empty one). */
  ready(page: Page): Promise<void>;
}

/** The page's own heading is there (the previous page is gone) and then its data. */
function shows(heading: string | RegExp, data: (p: Page) => Promise<void>): (p: Page) => Promise<void> {
  return async (p) => {
    await p.getByRole('heading', { level: 1, name: heading }).waitFor();
    await data(p);
  };
}

const PAGES: CustomerPage[] = [
  { name: 'dashboard', path: '/dashboard', ready: shows('Portfolio', (p) => p.getByRole('link', { name: 'Cardano' }).first().waitFor()) },
  { name: 'markets', path: '/markets', ready: shows('Markets', (p) => p.getByRole('link', { name: /Bitcoin/ }).waitFor()) },
  { name: 'coin', path: '/coin/bitcoin', ready: shows(/Bitcoin/, (p) => p.getByText('24 h high').waitFor()) },
  {
    name: 'orders',
    path: '/orders',
    ready: shows('Orders', (p) =>
      p
        .getByRole('button', { name: /^Cancel / })
        .first()
        .waitFor(),
    ),
  },
  {
    name: 'transactions',
    path: '/transactions',
    ready: shows('Transactions', (p) =>
      p
        .getByText(/Bought/)
        .first()
        .waitFor(),
    ),
  },
  { name: 'wallet', path: '/wallet', ready: shows('Wallet', (p) => p.getByRole('cell', { name: 'BTC', exact: true }).first().waitFor()) },
  { name: 'recurring', path: '/recurring', ready: shows('Recurring buys', (p) => p.getByTestId('recurring-buys').getByText('ADA').first().waitFor()) },
  { name: 'convert', path: '/convert', ready: shows('Convert', (p) => p.getByTestId('convert-history').getByText('SOL').first().waitFor()) },
  { name: 'address-book', path: '/wallet/addresses', ready: shows('Withdrawal addresses', (p) => p.getByText('Cold storage').first().waitFor()) },
  {
    name: 'alerts',
    path: '/alerts',
    ready: shows('Price alerts', (p) =>
      p
        .getByText(/Triggered/i)
        .first()
        .waitFor(),
    ),
  },
  { name: 'settings', path: '/settings', ready: shows('Settings', (p) => p.getByRole('heading', { name: 'Active sessions' }).waitFor()) },
  { name: 'activity', path: '/settings/activity', ready: shows('Account activity', (p) => p.getByTestId('activity').getByText('Signed in').first().waitFor()) },
];

/** What a customer must never read, each with why. */
const UNREADABLE: { name: string; pattern: RegExp }[] = [
  { name: 'an ISO timestamp', pattern: /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/g },
  { name: 'a UUID', pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi },
  // More digits than any asset is shown with (8): a raw ledger amount (18 decimals) or a float artefact (0.1 + 0.2).
  { name: 'a number with more than 8 decimals', pattern: /\d\.\d{9,}/g },
  // A dollar figure of a dollar or more carries cents, never fractions of a cent ("$104,087.19497"); a price below
  // a dollar shows its significant digits ("$0.9983", "$0.00001234").
  { name: 'a dollar amount with more than 2 decimals', pattern: /\$(?:[1-9]\d{0,2}(?:,\d{3})*|[1-9]\d*)\.\d{3,}/g },
  // Five or more digits in a row are grouped ("104,087.19", not "104087.19"); digits inside a word (an address, a
  // hash) are not figures.
  { name: 'an ungrouped figure', pattern: /(?<![\w.,:/-])\d{5,}(?:\.\d+)?(?![\w,])/g },
  // The raw values of API strings, never formatted: "fee 1 USD", "3967.68 USD".
  { name: 'a figure in USD not formatted as dollars', pattern: /\d USD\b/g },
];

/** Every unreadable match in `text`, with some context: "a UUID: …deposit 5f0c6a2e-… paid…". */
function unreadable(where: string, text: string): string[] {
  const found: string[] = [];
  for (const { name, pattern } of UNREADABLE) {
    for (const m of text.matchAll(pattern)) {
      const at = m.index ?? 0;
      found.push(`${where}: ${name}: "…${text.slice(Math.max(0, at - 30), at + m[0].length + 30).replace(/\s+/g, ' ')}…"`);
    }
  }
  return found;
}

describe('browser: no customer page shows an ISO timestamp, a UUID, a float artefact or a raw figure', () => {
  const suite = useBrowserSuite();
  let customer: Withdrawer;
  let tab: BrowserTab;

  beforeAll(async () => {
    const api = () => request(suite.app.url);
    const admin = await createUser(suite.app, suite.mail, { admin: true });
    customer = await createWithdrawer(suite.app, suite.mail, { asset: 'BTC', label: 'Cold storage' });
    await waitForPrices(suite.app);

    // Deposits paid in BTC and in a stablecoin (each notifies), and a USD balance with fractions of a cent.
    for (const [amount, currency] of [
      ['2500', 'btc'],
      ['1250.50', 'usdc'],
    ] as const) {
      const created = await api().post('/api/wallet/deposit/create').set(customer.auth).send({ amount, currency }).expect(201);
      await api().post(`/api/wallet/deposit/${created.body.orderId}/simulate`).set(customer.auth).expect(200);
    }
    await fund(suite.app, admin, customer, 'USD', '217.123456');

    // Buys by amount: quantity = amount ÷ price, with 18 decimals in the ledger.
    for (const symbol of ['BTC', 'ETH', 'SOL']) {
      await api().post('/api/orders').set(customer.auth).send({ symbol, side: 'buy', type: 'market', quoteAmount: '333.33' }).expect(201);
    }
    // A conversion between two assets (a cross rate in its description, amounts at 8 decimals).
    // A weekly buy with an odd amount (its next run is a date to show).
    await api().post('/api/recurring-buys').set(customer.auth).send({ symbol: 'ADA', quoteAmount: '12.34', frequency: 'weekly' }).expect(201);
    const quote = await api().post('/api/convert/quotes').set(customer.auth).send({ from: 'ETH', to: 'SOL', amount: '0.01234567' }).expect(201);
    await api().post('/api/convert').set(customer.auth).send({ quoteId: quote.body.quote.id }).expect(201);
    // A limit order that rests (far below the price), and one that is cancelled.
    await api()
      .post('/api/orders')
      .set(customer.auth)
      .send({ symbol: 'ETH', side: 'buy', type: 'limit', quantity: '0.123456', limitPrice: '10.005' })
      .expect(201);
    const cancelled = await api()
      .post('/api/orders')
      .set(customer.auth)
      .send({ symbol: 'SOL', side: 'buy', type: 'limit', quantity: '1.5', limitPrice: '1.25' })
      .expect(201);
    await api().delete(`/api/orders/${cancelled.body.order.id}`).set(customer.auth).expect(200);

    // A withdrawal awaiting review (its fee and amount in BTC).
    await api()
      .post('/api/wallet/withdraw')
      .set(customer.auth)
      .send({ asset: 'BTC', addressId: customer.addressId, amount: '0.00123456', twoFactorCode: customer.backupCodes!.shift() })
      .expect(201);

    // A tracked holding with more decimals than are shown, an alert that fires at once, one that stays armed.
    await api().post('/api/portfolio/holding').set(customer.auth).send({ symbol: 'ADA', amount: '1234.567890123456', avgCost: '0.4567891' }).expect(201);
    const fired = await api()
      .post('/api/alerts')
      .set(customer.auth)
      .send({ symbol: 'BTC', condition: 'above', targetPrice: '0.00000001', confirmCrossed: true })
      .expect(201);
    await api().post('/api/alerts').set(customer.auth).send({ symbol: 'ETH', condition: 'below', targetPrice: '1.5' }).expect(201);
    await waitFor(
      async () => {
        const notes = (await api().get('/api/notifications').set(customer.auth)).body.items as { data: { alert?: { id: string } } }[];
        return notes.some((n) => n.data.alert?.id === fired.body.id);
      },
      20_000,
      'the alert to fire',
    );

    const context = await offlineContext(suite.browser, suite.app.url);
    const signIn = await context.request.post('/api/auth/login', {
      data: { email: customer.email, password: customer.password, twoFactorCode: customer.backupCodes!.shift() },
    });
    expect(signIn.status()).toBe(200);
    tab = await tabIn(context);
  });
  afterAll(async () => {
    await tab?.context.close();
  });

  /** Shows `target` through the running client's router (the first page is a full load), once its data is there. */
  async function show(target: CustomerPage): Promise<void> {
    const { page } = tab;
    await openInClient(page, target.path);
    await page.waitForURL((url) => url.pathname === target.path);
    await target.ready(page);
  }

  /** The text a person sees on the page now (what CSS hides is not read). */
  async function visibleText(page: Page): Promise<string> {
    return page.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText);
  }

  /**
   * Figures a table shows for US dollars without a dollar sign (a row whose asset cell reads "USD"): they too carry
   * cents, never more ("3,967.684966" in the wallet's USD row).
   */
  async function usdRowsWithMoreThanCents(page: Page, where: string): Promise<string[]> {
    const rows = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ cells: ArrayLike<{ innerText: string }> }> } }).document;
      return Array.from(doc.querySelectorAll('tr')).map((tr) => Array.from(tr.cells).map((c) => c.innerText.trim()));
    });
    return rows
      .filter((cells) => cells.includes('USD'))
      .flatMap((cells) =>
        cells.filter((c) => /^[-+]?[\d,]+\.\d{3,}$/.test(c)).map((c) => `${where}: a USD amount with more than 2 decimals: ${c} in "${cells.join(' | ')}"`),
      );
  }

  it.each([
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const)('every customer page reads as written for people (%s)', async (screen, viewport) => {
    const { page } = tab;
    await page.setViewportSize(viewport);
    const found: string[] = [];
    for (const target of PAGES) {
      await show(target);
      const where = `${target.name} (${screen})`;
      const problems = [...unreadable(where, await visibleText(page)), ...(await usdRowsWithMoreThanCents(page, where))];
      if (problems.length) await screenshot(page, 'readable-figures', `${target.name}-${screen}`);
      found.push(...problems);
    }
    // The notifications menu: the deposits, the fill of each buy, the fired alert, the withdrawal, the sign-in.
    await page.getByTestId('notifications-bell').click();
    const menu = page.getByRole('menu');
    await menu
      .getByText(/Deposit credited/)
      .first()
      .waitFor();
    const menuText = await menu.innerText();
    found.push(...unreadable(`notifications (${screen})`, menuText));
    // The menu is as wide as the screen allows at most: long words wrap instead of spilling out.
    const box = await menu.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= viewport.width).toBe(true);
    await page.keyboard.press('Escape');
    expect(found).toEqual([]);
    expect(tab.problems).toEqual([]);
  });

  /**
   * What does not fit a phone's width: the page, the top bar or the content pane scrolling sideways, any region inside
   * them that scrolls sideways (a wide table in its own scroll box hides its last columns: on main, the orders' trigger
   * price, status and Cancel), and any control (button, link, field) that is not wholly on the screen.
   */
  async function offScreen(page: Page): Promise<string[]> {
    return page.evaluate(`(() => {
      const found = [];
      const width = document.documentElement.clientWidth;
      const describe = (el) => el.tagName.toLowerCase() + (el.getAttribute('data-testid') ? '[' + el.getAttribute('data-testid') + ']' : '') +
        ' "' + (el.getAttribute('aria-label') || el.innerText || el.getAttribute('placeholder') || '').trim().slice(0, 40) + '"';
      const content = document.querySelector('main');
      for (const el of [document.documentElement, document.querySelector('.topbar'), content, ...content.querySelectorAll('*')]) {
        if (!el) continue;
        const style = getComputedStyle(el);
        const scrolls = el === document.documentElement || ['auto', 'scroll'].includes(style.overflowX);
        if (scrolls && el.scrollWidth > el.clientWidth + 1) found.push('scrolls sideways: ' + describe(el) + ' (' + el.scrollWidth + ' > ' + el.clientWidth + ')');
      }
      const controls = content.querySelectorAll('button, a[href], input, select, textarea, [role=button], mat-select, mat-button-toggle');
      for (const el of controls) {
        const box = el.getBoundingClientRect();
        // Not rendered (hidden, collapsed) or there for screen readers only.
        if (box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden, .cdk-visually-hidden')) continue;
        if (box.left < -0.5 || box.right > width + 0.5) found.push('off screen: ' + describe(el) + ' at ' + Math.round(box.left) + '..' + Math.round(box.right));
      }
      return found;
    })()`);
  }

  it('on a 390 px phone every page fits: nothing scrolls sideways, every action is on the screen and works', async () => {
    const { page } = tab;
    await page.setViewportSize({ width: 390, height: 844 });
    const found: string[] = [];
    for (const target of PAGES) {
      await show(target);
      const problems = (await offScreen(page)).map((p) => `${target.name}: ${p}`);
      if (problems.length || SCREENSHOT_PASSES) await screenshot(page, 'readable-figures', `${target.name}-fits-phone`);
      found.push(...problems);
    }
    expect(found).toEqual([]);
    // The open order's Cancel, on its card, cancels it.
    await show(PAGES.find((p) => p.name === 'orders')!);
    await page
      .getByRole('button', { name: /^Cancel / })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /Cancel order/ }).click();
    await page.getByText('No open orders.', { exact: false }).waitFor();
    expect(tab.problems).toEqual([]);
  });

  it('a trimmed amount keeps every digit on hover and when copied', async () => {
    const { page } = tab;
    await page.setViewportSize({ width: 1280, height: 900 });
    await show(PAGES.find((p) => p.name === 'wallet')!);
    const balance = await request(suite.app.url).get('/api/wallet/balance').set(customer.auth).expect(200);
    const btc = (balance.body.wallet.balances as { asset: string; available: string }[]).find((b) => b.asset === 'BTC')!;
    // The ledger keeps more digits than the 8 shown.
    expect(btc.available.replace(/0+$/, '').split('.')[1]!.length).toBeGreaterThan(8);
    const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'BTC', exact: true }) });
    const shown = row.locator('.cv-amount').first();
    const text = (await shown.innerText()).trim();
    expect(text).toMatch(/^\d[\d,]*\.\d{1,8}$/);
    // Rounded down: never more than there is.
    expect(Number(text.replace(/,/g, ''))).toBeLessThanOrEqual(Number(btc.available));
    expect(await shown.getAttribute('title')).toBe(`${btc.available.replace(/0+$/, '')} BTC`);
    const copied = await shown.evaluate((el) => {
      const w = globalThis as unknown as {
        getSelection(): { selectAllChildren(n: unknown): void };
        ClipboardEvent: new (t: string, o: unknown) => { clipboardData: { getData(t: string): string } };
        DataTransfer: new () => unknown;
      };
      w.getSelection().selectAllChildren(el);
      const event = new w.ClipboardEvent('copy', { clipboardData: new w.DataTransfer(), bubbles: true, cancelable: true });
      (el as unknown as { dispatchEvent(e: unknown): void }).dispatchEvent(event);
      return event.clipboardData.getData('text/plain');
    });
    expect(copied).toBe(btc.available);
  });

  it('on a 390 px phone a tracked lot is re-dated on the dashboard: the lots and their date form fit, and the new date is saved', async () => {
    const { page } = tab;
    await page.setViewportSize({ width: 390, height: 844 });
    await show(PAGES.find((p) => p.name === 'dashboard')!);
    const lots = page.getByRole('list', { name: 'Tracked lots' });
    const change = lots.getByRole('button', { name: /^Change the date of .*ADA/ });
    await change.waitFor();
    const found = (await offScreen(page)).map((p) => `dashboard with its tracked lots: ${p}`);
    await change.click();
    const day = lots.getByLabel('Acquired on');
    await day.waitFor();
    found.push(...(await offScreen(page)).map((p) => `a tracked lot's date form: ${p}`));
    if (found.length) await screenshot(page, 'readable-figures', 'tracked-lot-date-phone');
    expect(found).toEqual([]);

    await day.fill('2024-02-29');
    await lots.getByRole('button', { name: 'Save date' }).click();
    await page.getByRole('status').filter({ hasText: 'Date changed.' }).waitFor();
    // Saved as the start of that day where the customer is (the browser's time zone), and shown as that day.
    const startOfDay = await page.evaluate(() => new Date(2024, 1, 29).toISOString());
    const listed = await request(suite.app.url).get('/api/portfolio/tracked-lots').set(customer.auth).expect(200);
    expect((listed.body.items as { symbol: string; acquiredAt: string }[]).filter((l) => l.symbol === 'ADA').map((l) => l.acquiredAt)).toEqual([startOfDay]);
    const row = (await lots.getByRole('listitem').filter({ hasText: 'ADA' }).innerText()).replace(/\s+/g, ' ');
    expect(row).toMatch(/Acquired on .*\b29\b.*2024|Acquired on .*2024.*\b29\b/);
    expect(unreadable('tracked lots (phone)', row)).toEqual([]);
    expect(tab.problems).toEqual([]);
  });
});
