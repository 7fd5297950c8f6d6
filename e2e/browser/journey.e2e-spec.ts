import { randomBytes } from 'node:crypto';
import { chooseOption, journey, openedDialog, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser, totpCode, uniqueEmail, verificationCode } from '../support/factories';

/** A valid bech32 Bitcoin address (the withdrawal form's destination). */
const BTC_ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';

/**
 * A new customer's journey through the served client, one named step per page
 * (each screenshotted to e2e/artifacts/screenshots/journey/). The backend runs
 * on simulated prices and the sandbox payment provider (the defaults outside
 * production); mail goes to the suite's SMTP sink.
 */
describe('browser: a new customer signs up, trades, secures the account and withdraws', () => {
  // A step-up lasts the whole journey (an hour): asked once, when the first security change (saving an address) needs it.
  const suite = useBrowserSuite({ CANDLE_HISTORY_BACKFILL: 'true', STEP_UP_TTL_SECONDS: '3600' });

  it('goes from sign-up to a completed withdrawal, with no page or CSP errors on the way', async () => {
    const customer = await suite.tab();
    const { page } = customer;
    const step = journey(customer, 'journey');
    const email = uniqueEmail('journey');
    const password = 'Journey-pass-42';

    await step('markets', async () => {
      await page.goto('/');
      await page.waitForURL('**/markets');
      await page.getByRole('heading', { name: 'Markets' }).waitFor();
      await page.getByRole('link', { name: /Bitcoin/ }).waitFor();
      // Simulated prices are never shown as a real market.
      await page.getByText('Prices: simulated').waitFor();
    });

    await step('signup', async () => {
      await page.getByRole('link', { name: 'Sign up' }).first().click();
      await page.getByRole('heading', { name: 'Create your account' }).waitFor();
      await page.getByLabel('Name').fill('Journey Tester');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.waitForURL('**/verify-email?**');
    });

    await step('verify-email', async () => {
      await page.getByLabel('Code').fill(await verificationCode(suite.mail, email));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByText('Your email is verified.').waitFor();
    });

    await step('login', async () => {
      await page.getByText('Your email is verified.').getByRole('link', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL('**/dashboard');
      await page.getByText('No holdings yet.').waitFor();
    });

    await step('deposit', async () => {
      await page.getByRole('link', { name: 'Wallet' }).click();
      await page.getByRole('heading', { name: 'Wallet' }).waitFor();
      await page.getByLabel(/^Amount \(USD/).fill('500');
      await page.getByRole('button', { name: 'Create deposit' }).click();
      await page.getByText('Send exactly').waitFor();
      await page.getByRole('button', { name: 'Simulate payment' }).click();
      await page.getByText('The payment arrived and has been credited to your wallet.').waitFor();
    });

    await step('wallet-balance', async () => {
      const usdRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'USD', exact: true }) });
      await usdRow.getByRole('cell', { name: '$500.00', exact: true }).first().waitFor();
      await page.getByText('$500.00').first().waitFor();
    });

    await step('coin', async () => {
      await page.getByRole('link', { name: 'Markets' }).click();
      await page.getByRole('link', { name: /Bitcoin/ }).click();
      await page.waitForURL('**/coin/bitcoin');
      await page
        .getByRole('heading', { name: /Bitcoin/ })
        .first()
        .waitFor();
      // Enough bitcoin for the smallest withdrawal (0.0005 BTC plus its 0.0001 BTC fee).
      await page.getByLabel('Amount in USD').fill('200');
      await page.getByRole('button', { name: 'Review order' }).click();
      await page.getByRole('button', { name: 'Confirm buy' }).click();
      await page.getByRole('status').getByText('Order filled').waitFor();
    });

    await step('portfolio', async () => {
      await page.getByRole('link', { name: 'Portfolio' }).click();
      await page.getByRole('heading', { name: 'Holdings' }).waitFor();
      const holdings = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Avg cost' }) });
      const btc = holdings.getByRole('row').filter({ has: page.getByRole('link', { name: 'Bitcoin' }) });
      await btc.waitFor();
      // Read by column name, so the check survives columns being added or moved.
      const headers = (await holdings.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
      const cells = await btc.getByRole('cell').allInnerTexts();
      const column = (name: string) => cells[headers.indexOf(name)] ?? `(no ${name} column in ${headers.join(', ')})`;
      expect(Number(column('Amount').replace(/,/g, ''))).toBeGreaterThan(0);
      expect(column('P&L')).toMatch(/^-?\$[\d,]+\.\d{2} [+-]?\d+\.\d{2}%$/);
      expect(column('Allocation')).toMatch(/%$/);
      await page.getByText('Unrealised P&L').waitFor();
    });

    await step('alert', async () => {
      await page.getByRole('link', { name: 'Alerts' }).click();
      await page.getByRole('heading', { name: 'Price alerts' }).waitFor();
      await chooseOption(page, 'Asset', { name: /^BTC · Bitcoin/ });
      await page.getByLabel('Target price (USD)').fill('1000000');
      await page.getByRole('button', { name: 'Create alert' }).click();
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'BTC' }) });
      await row.getByRole('cell', { name: 'Rises above' }).waitFor();
      await row.getByText('$1,000,000.00').waitFor();
    });

    await step('address-book', async () => {
      await page.getByRole('link', { name: 'Wallet' }).click();
      await page.getByRole('link', { name: 'Withdrawal addresses' }).click();
      await page.getByRole('heading', { name: 'Withdrawal addresses' }).waitFor();
      await page.getByLabel('Label').fill('My hardware wallet');
      await chooseOption(page, 'Asset', { name: 'BTC', exact: true });
      await page.getByLabel('Address', { exact: true }).fill(BTC_ADDRESS);
      await page.getByRole('button', { name: 'Save address' }).click();
      // Adding an address is a security change: the step-up dialog asks for the password, then the save goes on.
      const stepUp = await openedDialog(page, 'Confirm it is you');
      await stepUp.getByLabel('Password').fill(password);
      await stepUp.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('status').filter({ hasText: '"My hardware wallet" was saved' }).waitFor();
      await page.getByTestId('addresses').getByText('Awaiting confirmation').waitFor();
      // The emailed link opens a page that confirms only when the button is pressed.
      const mail = await suite.mail.waitFor(email, (m) => m.subject === 'Confirm your new withdrawal address');
      const link = /https?:\/\/\S+\/wallet\/addresses\/confirm\?token=[\w-]+/.exec(mail.text)![0];
      await page.goto(new URL(link).pathname + new URL(link).search);
      await page.getByRole('button', { name: 'Confirm address' }).click();
      await page.getByRole('status').filter({ hasText: 'is confirmed' }).waitFor();
      await page.getByRole('link', { name: 'Go to your address book' }).click();
      // The suite runs with no hold (ADDRESS_HOLD_HOURS=0): usable at once.
      await page.getByTestId('addresses').getByText('Usable', { exact: true }).waitFor();
    });

    let backupCodes: string[] = [];
    await step('two-factor', async () => {
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
      // Turning two-factor on is a security change: this session stepped up when it saved the address, so no dialog.
      // The key the authenticator app would read from the QR code.
      const secret = (await page.getByTestId('totp-secret').innerText()).trim();
      await page.getByLabel('6-digit code').fill(totpCode(secret));
      await page.getByRole('button', { name: 'Verify and turn on' }).click();
      await page.getByRole('heading', { name: 'Your backup codes' }).waitFor();
      backupCodes = (await page.getByTestId('backup-codes').getByRole('listitem').allInnerTexts()).map((c) => c.trim());
      expect(backupCodes).toHaveLength(10);
      await page.getByRole('button', { name: 'I have saved my codes' }).click();
      await page.getByText('Two-factor authentication is on.').waitFor();
    });

    await step('withdraw', async () => {
      await page.getByRole('link', { name: 'Wallet' }).click();
      await page.getByRole('heading', { name: 'Withdraw', exact: true }).waitFor();
      await chooseOption(page, 'Asset', { name: /^BTC/ });
      // The one usable BTC address of the address book is chosen.
      await page
        .getByRole('combobox', { name: 'To saved address' })
        .getByText(/^My hardware wallet/)
        .waitFor();
      await page.getByLabel('Amount (BTC)').fill('0.0005');
      // A backup code: the authenticator's current code was just spent turning two-factor on.
      await page.getByLabel('Two-factor code').fill(backupCodes[0]);
      await page.getByRole('button', { name: 'Request withdrawal' }).click();
      await page.getByRole('status').filter({ hasText: 'Withdrawal requested' }).waitFor();
      await page.getByTestId('withdrawals').getByText('pending').waitFor();
    });

    const admin = await suite.openTab();
    const reviewer = await createUser(suite.app, suite.mail, { admin: true });
    const txHash = randomBytes(32).toString('hex');
    // The row's buttons are named after the withdrawal (its amount as the API's decimal string).
    const reviewButton = (verb: string) => new RegExp(`^${verb} withdrawal of 0\\.00050* BTC by ${email.replace(/[.+]/g, '\\$&')}$`);
    await step(
      'admin-approves-and-completes',
      async () => {
        const a = admin.page;
        await a.goto('/login');
        await a.getByLabel('Email').fill(reviewer.email);
        await a.getByLabel('Password').fill(reviewer.password);
        await a.getByRole('button', { name: 'Log in' }).click();
        // Admins have two-factor on: the second step asks for a code.
        await a.getByLabel('Two-factor code').fill(reviewer.backupCodes![0]);
        await a.getByRole('button', { name: 'Verify and log in' }).click();
        await a.waitForURL('**/dashboard');
        await a.getByRole('link', { name: 'Admin' }).click();
        await a.getByRole('tab', { name: 'Withdrawals' }).click();
        await a.getByRole('button', { name: reviewButton('Approve') }).click();
        await a.getByText('Approved: it can now be completed once the payout is sent.').waitFor();
        await a.getByRole('button', { name: reviewButton('Complete') }).click();
        await a.getByLabel('Transaction hash of the payout').fill(txHash);
        await a.getByRole('button', { name: 'Mark as completed' }).click();
        await a.getByText('Completed: the user sees the transaction hash.').waitFor();
      },
      admin,
    );

    await step('withdrawal-completed', async () => {
      await page.getByRole('button', { name: 'Refresh withdrawals' }).click();
      const row = page.getByTestId('withdrawals').getByRole('row').filter({ hasText: BTC_ADDRESS });
      await row.getByText('completed').waitFor();
      // The payout's transaction, a link to its block explorer: the hash shortened, in its name as shown, whole on hover.
      const shown = `${txHash.slice(0, 10)}…${txHash.slice(-8)}`;
      const tx = row.getByRole('link', { name: `Transaction ${shown} on a block explorer (opens in a new tab)` });
      expect([await tx.getAttribute('href'), await tx.getAttribute('target'), await tx.getAttribute('title'), (await tx.innerText()).trim()]).toEqual([
        `https://mempool.space/tx/${txHash}`,
        '_blank',
        txHash,
        `${txHash.slice(0, 10)}…${txHash.slice(-8)}`,
      ]);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await row.scrollIntoViewIfNeeded(); // the shell scrolls inside its content pane, not the page
    });
  }, 240_000);
});
