import type { Page } from 'playwright-core';
import request from 'supertest';
import { journey, openInClient, openedDialog, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { privateKeyFromPem, signApiKeyRequest } from '../support/api-key-signing';
import { createUser } from '../support/factories';

/**
 * Settings → API keys on a phone (390 px), through the page only: create a read key (the step-up dialog asks for the
 * password; the key pair is made in the browser), the private key shown once signs a request the API accepts, then
 * revoke it after confirming, and the same request is refused. No accessibility violation, nothing wider than the screen.
 */
describe('browser: API keys', () => {
  const suite = useBrowserSuite();

  async function fits(page: Page): Promise<void> {
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
  }

  it('creates a key, shows its private key once, and revokes it at 390 px', async () => {
    const customer = await createUser(suite.app, suite.mail);
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, 'api-keys-390');
    const signIn = await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width: 390, height: 900 });
    let keyId = '';
    let pem = '';

    await step('open', async () => {
      await openInClient(page, '/settings');
      await page.getByRole('link', { name: 'API keys', exact: true }).click();
      await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
      await page.getByTestId('api-keys-empty').waitFor();
      await fits(page);
    });

    await step('create', async () => {
      await page.getByLabel('Name').fill('Portfolio script');
      await page.getByRole('button', { name: 'Create API key' }).click();
      const stepUp = await openedDialog(page, 'Confirm it is you');
      await stepUp.getByLabel('Password').fill(customer.password);
      await stepUp.getByRole('button', { name: 'Confirm' }).click();
      const secret = page.getByTestId('api-key-secret');
      await secret.getByText('This is the only time it is shown', { exact: false }).waitFor();
      keyId = (await secret.getByTestId('api-key-id').innerText()).trim();
      pem = await secret.getByTestId('api-key-private').innerText();
      expect(pem).toContain('-----BEGIN PRIVATE KEY-----');
      await page.getByTestId('api-key-item').getByText('Portfolio script').waitFor();
      await page.getByTestId('api-key-item').getByText('Never used').waitFor();
      await fits(page);
    });

    const balance = () =>
      request(suite.app.url)
        .get('/api/wallet/balance')
        .set(signApiKeyRequest(keyId, privateKeyFromPem(pem), { method: 'GET', pathWithQuery: '/api/wallet/balance' }));

    await step('use', async () => {
      await balance().expect(200);
      await page.getByRole('button', { name: 'I have saved it' }).click();
      // Gone for good: the private key is never shown again.
      await page.getByTestId('api-key-secret').waitFor({ state: 'detached' });
    });

    await step('revoke', async () => {
      await page.getByRole('button', { name: 'Revoke API key Portfolio script' }).click();
      await page.getByText('Programs using it stop working at once.', { exact: false }).waitFor();
      await fits(page);
      await page.getByRole('button', { name: 'Revoke', exact: true }).click();
      await page.getByText('API key "Portfolio script" revoked.').waitFor();
      await page.getByTestId('api-key-item').getByText('Revoked').waitFor();
      await fits(page);
    });
    expect((await balance().expect(401)).body.error.code).toBe('API_KEY_REVOKED');
  });

  it('asks for a fresh two-factor code in the form to create a key that can withdraw, at 390 px', async () => {
    const owner = await createUser(suite.app, suite.mail, { twoFactor: true });
    const [signInCode, stepUpCode, keyCode] = owner.backupCodes!;
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, 'api-keys-withdraw-390');
    const signIn = await tab.context.request.post('/api/auth/login', { data: { email: owner.email, password: owner.password, twoFactorCode: signInCode } });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width: 390, height: 900 });

    await step('withdraw ticked', async () => {
      await openInClient(page, '/settings/api-keys');
      await page.getByTestId('api-keys-empty').waitFor();
      await page.getByLabel('Name').fill('Payouts');
      await page.getByLabel('Withdraw: only to confirmed addresses in your address book').check();
      await page.getByLabel('IP allowlist (optional)').fill('203.0.113.7');
      await page.getByTestId('api-key-code').waitFor();
      await page.getByText('A key that can withdraw needs a new code from your authenticator app', { exact: false }).waitFor();
      await fits(page);
    });

    await step('created with the code', async () => {
      await page.getByTestId('api-key-code').fill(keyCode);
      await page.getByRole('button', { name: 'Create API key' }).click();
      const stepUp = await openedDialog(page, 'Confirm it is you');
      await stepUp.getByLabel('Password').fill(owner.password);
      await stepUp.getByLabel('Authenticator or backup code').fill(stepUpCode);
      await stepUp.getByRole('button', { name: 'Confirm' }).click();
      await page.getByTestId('api-key-secret').waitFor();
      await page.getByTestId('api-key-item').getByText('May: read, withdraw').waitFor();
      // The security notice arrives as a /ws/user toast too, and is part of the page axe checks.
      await page.locator('mat-snack-bar-container').getByText('A withdrawal API key was created').waitFor();
      await fits(page);
    });
    const mail = await suite.mail.waitFor(owner.email, (m) => m.subject === 'A withdrawal API key was created');
    expect(mail.text).toContain('accepts requests from 203.0.113.7/32');
  });
});
