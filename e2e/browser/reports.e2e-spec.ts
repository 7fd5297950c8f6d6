import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { journey, openInClient, savedDownload, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, type TestUser } from '../support/factories';
import { fund, waitForPrices } from '../support/money';
import { pdfText } from '../support/pdf-text';

/**
 * The reports page on a laptop (reached from the side nav) and on a phone: a customer credited some bitcoin by an
 * operator (a lot of unknown cost), who bought more and sold some, sees the sale in the year's gains with its gain
 * unknown and a warning, enters what the credited bitcoin cost and sees the gain; downloads the three CSVs; changes
 * the cost-basis method. No accessibility violation, nothing wider than the screen (the table is cards on a phone).
 * Prices stand still (SIMULATED_VOLATILITY=0).
 */
describe('browser: reports', () => {
  const suite = useBrowserSuite({ SIMULATED_VOLATILITY: '0' });
  let admin: TestUser;
  const year = new Date().getUTCFullYear();

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    await waitForPrices(suite.app);
  });

  async function fits(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
  }

  it.each([1440, 390])('shows the year’s gains, takes the cost of a credit, downloads the CSVs and changes the method at %i px', async (width) => {
    const customer = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, customer, 'USD', '1000');
    await fund(suite.app, admin, customer, 'BTC', '0.001');
    await request(suite.app.url).post('/api/orders').set(customer.auth).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '100.10' }).expect(201);
    // FIFO: the sale takes from the credited bitcoin first, whose cost is not known yet.
    await request(suite.app.url).post('/api/orders').set(customer.auth).send({ symbol: 'BTC', side: 'sell', type: 'market', quoteAmount: '20' }).expect(201);

    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, `reports-${width}`);
    const signIn = await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width, height: 900 });
    const disposals = page.getByTestId('gains-disposals');

    await step('open', async () => {
      if (width < 600) {
        await openInClient(page, '/reports');
      } else {
        await openInClient(page, '/dashboard');
        await page.getByRole('heading', { name: 'Portfolio', level: 1 }).waitFor();
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
      }
      await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
      await disposals.getByRole('row').filter({ hasText: 'Sale' }).filter({ hasText: 'Short term' }).filter({ hasText: 'Unknown' }).waitFor();
      await page.getByTestId('gains-unknown').getByText('1 disposal has an unknown cost basis', { exact: false }).waitFor();
      await page.getByTestId('method-now').getByText('FIFO: first in, first out').waitFor();
      await fits(page);
    });

    await step('cost', async () => {
      const lots = page.getByTestId('unknown-lots');
      await lots.getByText('Unknown cost').waitFor();
      await lots.getByLabel('Cost in USD').fill('80');
      await lots.getByRole('button', { name: 'Save cost' }).click();
      await lots.getByText('$80.00').waitFor();
      await page.getByTestId('gains-unknown').waitFor({ state: 'detached' });
      // The sale's row now has a cost basis and a gain instead of "Unknown".
      await disposals.getByRole('row').filter({ hasText: 'Sale' }).filter({ hasNotText: 'Unknown' }).waitFor();
      await fits(page);
    });

    await step('downloads', async () => {
      const layouts: [string, string, string][] = [
        [
          'Gains CSV',
          `cryptovault-gains-${year}.csv`,
          'Asset,Quantity,Date acquired,Date disposed,Proceeds (USD),Cost basis (USD),Fee (USD),Gain (USD),Term,Kind,Method,Lot',
        ],
        [
          'Koinly CSV',
          `cryptovault-gains-${year}-koinly.csv`,
          'Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash',
        ],
        [
          'CoinTracker CSV',
          `cryptovault-gains-${year}-cointracker.csv`,
          'Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee Amount,Fee Currency,Tag',
        ],
      ];
      for (const [button, file, header] of layouts) {
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
        expect(download.suggestedFilename()).toBe(file);
        const lines = (await readFile(await savedDownload(download), 'utf8')).split('\r\n');
        expect(lines[0]).toBe(header);
        expect(lines.some((l) => l.includes('BTC'))).toBe(true);
      }
    });

    await step('statement', async () => {
      // This month's statement (reports/statements): the PDF and the CSV of the customer's own account.
      const month = new Date().toISOString().slice(0, 7);
      const statements = page.getByTestId('statements');
      await statements.getByRole('combobox', { name: 'Month' }).getByText('(to date)', { exact: false }).waitFor();
      await fits(page);
      const [pdf] = await Promise.all([page.waitForEvent('download'), statements.getByRole('button', { name: 'Download PDF' }).click()]);
      expect(pdf.suggestedFilename()).toBe(`cryptovault-statement-${month}.pdf`);
      const lines = (await pdfText(await readFile(await savedDownload(pdf)))).pages.flat();
      expect(lines).toContain(`Email: ${customer.email}`);
      expect(lines.some((l) => l.startsWith('BTC '))).toBe(true);
      const [csv] = await Promise.all([page.waitForEvent('download'), statements.getByRole('button', { name: 'Download CSV' }).click()]);
      expect(csv.suggestedFilename()).toBe(`cryptovault-statement-${month}.csv`);
      expect((await readFile(await savedDownload(csv), 'utf8')).split('\r\n')[0]).toBe(
        'row,asset,time,type,description,reference,amount,fee,balance,credited,debited,price,usdValue',
      );
    });

    await step('method', async () => {
      await page.getByRole('combobox', { name: 'Method' }).click();
      await page.getByRole('option', { name: 'HIFO: highest cost first' }).click();
      await page.getByRole('button', { name: 'Save method' }).click();
      await page.getByTestId('method-now').getByText('HIFO: highest cost first').waitFor();
      await fits(page);
    });
  });
});
