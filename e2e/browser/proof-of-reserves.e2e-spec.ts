import { execFile } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { journey, openInClient, savedDownload, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, type TestUser } from '../support/factories';
import { fund } from '../support/money';

const VERIFIER = join(__dirname, '..', '..', 'scripts', 'verify-reserves-proof.mjs');

const fits = 'document.documentElement.scrollWidth <= document.documentElement.clientWidth';

/**
 * The Proof of reserves page: signed out on a laptop it shows the published root, the customers' balances per asset
 * and that the reserves are not known yet; signed in on a 390 px phone, "Verify my balances" downloads the customer's
 * proof and verifies it in the browser, and the JSON it offers passes the standalone verifier.
 */
describe('browser: proof of reserves', () => {
  const suite = useBrowserSuite({ PROOF_OF_RESERVES_INTERVAL_MS: '0', PROVIDER_RECONCILE_INTERVAL_MS: '0' });
  let admin: TestUser;
  let customer: TestUser;
  let root: string;

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    customer = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, customer, 'USD', '1234.5');
    await fund(suite.app, admin, customer, 'BTC', '0.25');
    const taken = await request(suite.app.url).post('/api/admin/proof-of-reserves/snapshots').set(admin.auth).expect(201);
    root = taken.body.snapshot.rootHash as string;
  });

  it('shows the published root signed out, and verifies the signed-in customer’s balances in the browser at 390 px', async () => {
    const tab = await suite.tab();
    const { page } = tab;
    const step = journey(tab, 'proof-of-reserves');

    await step('signed out', async () => {
      await openInClient(page, '/proof-of-reserves');
      await page.getByRole('heading', { name: 'Proof of reserves', level: 1 }).waitFor();
      expect(await page.getByTestId('por-root').innerText()).toBe(root);
      const assets = page.getByTestId('por-asset');
      expect((await assets.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
        expect.stringMatching(/^BTC Customer balances 0\.25(0+)? BTC Reserves Unknown Reserves ÷ balances Unknown$/),
        expect.stringMatching(/^USD Customer balances \$1,234\.50 Reserves Unknown Reserves ÷ balances Unknown$/),
      ]);
      await page.getByText('Reserves: not known yet.', { exact: false }).waitFor();
      await page.getByTestId('por-verify').getByRole('link', { name: 'Log in' }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(await page.evaluate(fits)).toBe(true);
    });

    await step('verified in the browser at 390 px', async () => {
      const signIn = await tab.context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
      expect(signIn.status()).toBe(200);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto('/proof-of-reserves');
      await page.getByRole('button', { name: 'Verify my balances' }).click();
      const verified = page.getByTestId('por-verified');
      await verified.waitFor();
      expect((await verified.innerText()).replace(/\s+/g, ' ').trim()).toBe(
        "Verified. Your balances below are included in the published root, in a leaf that names your account and no one else's.",
      );
      // The leaf names the customer's own account id, which the standalone verifier checks too.
      expect((await page.getByTestId('por-account').innerText()).replace(/\s+/g, ' ').trim()).toBe(`Your account id, which your leaf names: ${customer.id}`);
      expect((await page.getByTestId('por-my-balances').getByRole('listitem').allInnerTexts()).map((t) => t.trim())).toEqual([
        expect.stringMatching(/^0\.25(0+)? BTC$/),
        '$1,234.50',
      ]);
      expect(await page.getByTestId('por-command').innerText()).toMatch(
        new RegExp(`^node scripts/verify-reserves-proof\\.mjs cryptovault-proof-[0-9a-f]{8}\\.json ${root} --account ${customer.id}$`),
      );
      expect(await seriousA11yViolations(page)).toEqual([]);
      expect(await page.evaluate(fits)).toBe(true);
    });

    await step('the downloaded proof passes the standalone verifier', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download proof (JSON)' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^cryptovault-proof-[0-9a-f]{8}\.json$/);
      const file = await savedDownload(download);
      const run = await new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile(process.execPath, [VERIFIER, file, root, '--account', customer.id], (err, stdout) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
        ),
      );
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`verified: the balances BTC 0.25, USD 1234.5 of account ${customer.id} (yours) are included in root ${root}`);
    });
  });
});
