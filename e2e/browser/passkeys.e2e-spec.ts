import type { CDPSession, Page } from 'playwright-core';
import { freePort } from '../support/app';
import { chooseOption, journey, openedDialog, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser } from '../support/factories';
import { fund } from '../support/money';
import { waitFor } from '../support/wait';
import { createWithdrawer } from '../support/withdrawer';

/** The security hold of this suite, in hours (SECURITY_HOLD_HOURS): 0.001 h = 3.6 s, so the journey waits seconds, not a day. */
const HOLD_HOURS = process.env.E2E_SECURITY_HOLD_HOURS ?? '0.001';

// One journey of seven steps through a browser on a machine shared by several suites: not a speed expectation.
jest.setTimeout(240_000);

/**
 * Passkeys in Chromium with a virtual authenticator (DevTools protocol
 * WebAuthn domain: CTAP2, internal transport, resident keys, user
 * verification): register one in the settings (after the step-up dialog's
 * password and code), sign out, sign in with it alone, withdraw with it as the
 * second factor to a saved address, remove it (stepping up with the passkey). The app is named
 * http://localhost:<port> (APP_URL): a WebAuthn RP ID cannot be an IP address.
 */
describe('browser: passkeys with a virtual authenticator', () => {
  const env: Record<string, string> = { SIMULATED_VOLATILITY: '0', SECURITY_HOLD_HOURS: HOLD_HOURS, ADDRESS_HOLD_HOURS: '0' };
  beforeAll(async () => {
    const port = await freePort();
    env.PORT = String(port);
    env.APP_URL = `http://localhost:${port}`;
  });
  const suite = useBrowserSuite(env);

  async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return { cdp, authenticatorId };
  }

  it('registers a passkey, signs in with it alone, withdraws with it as the second factor, and removes it', async () => {
    const tab = await suite.tab();
    const { page, context } = tab;
    const step = journey(tab, 'passkeys');
    const admin = await createUser(suite.app, suite.mail, { admin: true });
    const user = await createWithdrawer(suite.app, suite.mail, { asset: 'BTC', label: 'Cold wallet' });
    await fund(suite.app, admin, user, 'BTC', '0.001');
    const { cdp, authenticatorId } = await virtualAuthenticator(page);

    await step('add-passkey', async () => {
      // Signed in with password and a backup code through the API (the context shares the browser's cookies).
      const login = await context.request.post('/api/auth/login', {
        data: { email: user.email, password: user.password, twoFactorCode: user.backupCodes![0] },
      });
      expect(login.status()).toBe(200);
      await page.goto('/settings');
      await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
      await page.getByTestId('passkeys-empty').waitFor();
      await page.getByLabel('Passkey name').fill('Chromium virtual key');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      // A security change: the step-up dialog asks for the password and a code first, then the add goes on.
      const dialog = await openedDialog(page, 'Confirm it is you');
      await dialog.getByLabel('Password').fill(user.password);
      await dialog.getByLabel('Authenticator or backup code').fill(user.backupCodes![1]);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: 'Passkey "Chromium virtual key" added.' }).waitFor();
      const item = page.getByTestId('passkey-item').filter({ hasText: 'Chromium virtual key' });
      await item.getByText('Last used never').waitFor();
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
      expect(await seriousA11yViolations(page)).toEqual([]);
    });

    await step('passkeys-at-phone-width', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('passkey-item').filter({ hasText: 'Chromium virtual key' }).scrollIntoViewIfNeeded();
      // The list, its buttons and the add form fit: neither the page nor the content pane scrolls sideways.
      const overflow = await page.evaluate<{ page: number; content: number }>(`(() => {
        const over = (el) => (el ? el.scrollWidth - el.clientWidth : -1);
        return { page: over(document.documentElement), content: over(document.querySelector('main')) };
      })()`);
      expect(overflow).toEqual({ page: 0, content: 0 });
      expect(await seriousA11yViolations(page)).toEqual([]);
    });

    await step('sign-out', async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      // Adding the passkey held withdrawals for SECURITY_HOLD_HOURS; wait it out.
      await waitFor(
        async () => {
          const [row] = await suite.db.query<{ until: Date | null }>('SELECT security_hold_until AS until FROM users WHERE id = $1', [user.id]);
          return row.until !== null && new Date(row.until).getTime() < Date.now();
        },
        Number(HOLD_HOURS) * 3_600_000 + 15_000,
        'the security hold of adding a passkey',
      );
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('link', { name: 'Log in' }).first().waitFor();
    });

    await step('sign-in-with-passkey', async () => {
      await page.goto('/login');
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.waitForURL('**/dashboard');
      await page.getByRole('button', { name: 'Log out' }).waitFor();
    });

    await step('withdraw-with-passkey', async () => {
      await page.getByRole('link', { name: 'Wallet' }).click();
      await page.getByRole('heading', { name: 'Withdraw', exact: true }).waitFor();
      await chooseOption(page, 'Asset', { name: /^BTC/ });
      // The asset's one usable saved address is picked.
      await page
        .getByRole('combobox', { name: 'To saved address' })
        .getByText(/^Cold wallet/)
        .waitFor();
      await page.getByLabel('Amount (BTC)').fill('0.0005');
      await page.getByRole('button', { name: 'Confirm with a passkey' }).click();
      await page.getByRole('status').filter({ hasText: 'Withdrawal requested' }).waitFor();
      await page.getByTestId('withdrawals').getByText('pending').waitFor();
      // The /ws/user toast of the new withdrawal is part of the page axe checks.
      await page
        .locator('mat-snack-bar-container')
        .getByText(/Withdrawal requested/)
        .waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
    });

    await step('remove-passkey', async () => {
      await page.goto('/settings');
      const item = page.getByTestId('passkey-item').filter({ hasText: 'Chromium virtual key' });
      // Used twice (the sign-in and the withdrawal): no longer "never".
      await item.getByText(/Last used (?!never)/).waitFor();
      await page.getByRole('button', { name: 'Remove passkey Chromium virtual key' }).click();
      // This session (a passkey sign-in) has not stepped up: the dialog, answered with the passkey itself.
      const dialog = await openedDialog(page, 'Confirm it is you');
      await dialog.getByRole('button', { name: 'Use a passkey' }).click();
      await page.getByRole('status').filter({ hasText: 'Passkey "Chromium virtual key" removed.' }).waitFor();
      await page.getByTestId('passkeys-empty').waitFor();
    });

    await step('removed-passkey-signs-in-no-more', async () => {
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.goto('/login');
      // The authenticator still holds the key; the server no longer knows it.
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.getByRole('alert').filter({ hasText: 'The passkey could not be verified' }).waitFor();
      expect(page.url()).toContain('/login');
    });
  });
});
