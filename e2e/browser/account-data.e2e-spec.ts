import { strFromU8, unzipSync } from 'fflate';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { journey, openInClient, openedDialog, savedDownload, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, type TestUser } from '../support/factories';
import { fund } from '../support/money';

/**
 * Settings → Your data through the page only, on a laptop and on a phone: request an export (the step-up dialog asks
 * for the password), watch it get ready, download the zip; then close the account: refused while a balance is left
 * (the page says what to do), allowed once it is gone, after typing the email address. No accessibility violation,
 * nothing wider than the screen. Exports are made every 200 ms here (ACCOUNT_EXPORT_INTERVAL_MS).
 */
describe('browser: your data', () => {
  const suite = useBrowserSuite({ ACCOUNT_EXPORT_INTERVAL_MS: '200' });
  let admin: TestUser;

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
  });

  async function fits(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
  }

  it.each([1440, 390])('downloads my data and closes the account at %i px', async (width) => {
    const customer = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, customer, 'USD', '10');
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, `your-data-${width}`);
    const signIn = await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width, height: 900 });

    await step('open', async () => {
      await openInClient(page, '/settings');
      await page.getByRole('link', { name: 'Download my data or close my account' }).click();
      await page.getByRole('heading', { name: 'Your data', level: 1 }).waitFor();
      await page.getByText('You have not requested your data yet.').waitFor();
      await fits(page);
    });

    await step('export', async () => {
      await page.getByRole('button', { name: 'Request my data' }).click();
      const stepUp = await openedDialog(page, 'Confirm it is you');
      await stepUp.getByLabel('Password').fill(customer.password);
      await stepUp.getByRole('button', { name: 'Confirm' }).click();
      const item = page.getByTestId('export-item').first();
      await item.getByRole('button', { name: 'Download' }).waitFor({ timeout: 30_000 });
      await item.getByText('Ready until').waitFor();
      await fits(page);
      const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('button', { name: 'Download' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^cryptovault-data-\d{4}-\d{2}-\d{2}\.zip$/);
      const files = unzipSync(new Uint8Array(await readFile(await savedDownload(download))));
      const data = JSON.parse(strFromU8(files['data.json'])) as { userId: string; tables: { users: { email: string }[] } };
      expect(data.userId).toBe(customer.id);
      expect(data.tables.users[0].email).toBe(customer.email);
    });

    await step('close-refused', async () => {
      const blockers = page.getByTestId('closure-blockers');
      await blockers.getByText('Withdraw or sell your USD balance').waitFor();
      await fits(page);
      expect(await page.getByRole('button', { name: 'Close my account' }).isDisabled()).toBe(true);
    });

    await step('close', async () => {
      // The balance leaves (an operator's debit here: a withdrawal in real life); the page, opened again, allows it.
      await fund(suite.app, admin, customer, 'USD', '-10');
      await page.reload();
      await page.getByTestId('can-close').waitFor();
      await page.getByText('kept for as long as the law requires', { exact: false }).first().waitFor();
      await page.getByLabel('Type your email address to confirm').fill(customer.email);
      await page.getByRole('button', { name: 'Close my account' }).click();
      await page.getByRole('heading', { name: 'Your account is closed' }).waitFor();
      await fits(page);
      // Signed out: the old password opens nothing.
      const again = await request(suite.app.url).post('/api/auth/login').send({ email: customer.email, password: customer.password });
      expect(again.status).toBe(401);
    });
  });
});
