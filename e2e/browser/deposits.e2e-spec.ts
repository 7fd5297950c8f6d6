import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { chooseOption, journey, openInClient, seriousA11yViolations, useBrowserSuite } from '../support/browser';
import { createUser } from '../support/factories';
import { balanceOf, waitForPrices } from '../support/money';

/** The QR code as a person's camera would read it: the drawn SVG rasterised in the page, then decoded. */
async function readQrCode(page: Page): Promise<string | null> {
  const size = 240;
  // In the page (a DOM script: this project's TypeScript has no DOM types): the SVG drawn on a canvas, its RGBA out as base64.
  const pixels = await page.evaluate<string>(`(async () => {
    const svg = document.querySelector('[data-testid=deposit-qr]');
    const img = new Image();
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(svg));
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = ${size};
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0, ${size}, ${size});
    const bytes = ctx.getImageData(0, 0, ${size}, ${size}).data;
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  })()`);
  return jsQR(new Uint8ClampedArray(Buffer.from(pixels, 'base64')), size, size, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/** What the page's clipboard holds. */
const clipboard = (page: Page): Promise<string> => page.evaluate<string>('navigator.clipboard.readText()');

/**
 * A deposit of BTC credited as BTC, through the wallet page only, on a laptop and on a phone: choose BTC, see the
 * QR code (decoded back to the payment URI with the address), copy the address and the amount (and read them back
 * from the clipboard), the time left and the payment's steps; then the sandbox pays it and the BTC is credited.
 */
describe('browser: deposit in kind', () => {
  const suite = useBrowserSuite();

  beforeAll(async () => {
    await waitForPrices(suite.app);
  });

  it.each([1280, 390])('deposits BTC with a QR code that scans and copy buttons that work at %i px', async (width) => {
    const customer = await createUser(suite.app, suite.mail);
    const tab = await suite.tab();
    const { page, context } = tab;
    const step = journey(tab, `deposits-${width}`);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const signIn = await context.request.post('/api/auth/login', { data: { email: customer.email, password: customer.password } });
    expect(signIn.status()).toBe(200);
    await page.setViewportSize({ width, height: 900 });

    await step('choose-btc', async () => {
      await openInClient(page, '/wallet');
      await page.getByRole('heading', { name: 'Wallet', level: 1 }).waitFor();
      await chooseOption(page, 'What to deposit', { name: 'BTC', exact: true });
      await page.getByText('You send BTC and the BTC that arrives is credited to your wallet as BTC: nothing is sold or converted.').waitFor();
      await page.getByLabel('Quantity (BTC)').fill('0.001');
      await page.getByRole('button', { name: 'Create deposit' }).click();
    });

    const deposit = page.getByTestId('deposit');
    await step('qr-and-copy', async () => {
      await page.getByTestId('deposit-qr').waitFor();
      const address = (await page.getByTestId('pay-address').innerText()).trim();
      expect(address).toMatch(/^tb1q[0-9a-z]{38}$/);
      expect(await readQrCode(page)).toBe(`bitcoin:${address}?amount=0.00100000`);
      await deposit.getByText('0.001 BTC, as BTC (nothing is sold or converted)').waitFor();
      await deposit
        .getByRole('timer')
        .filter({ hasText: /^\d+:\d\d left$/ })
        .waitFor();
      await deposit.getByRole('listitem').filter({ hasText: 'Waiting for payment' }).and(page.locator('[aria-current=step]')).waitFor();

      await deposit.getByRole('button', { name: 'Copy address' }).click();
      await deposit.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await clipboard(page)).toBe(address);
      await deposit.getByRole('button', { name: 'Copy amount' }).click();
      expect(await clipboard(page)).toBe('0.00100000');
      expect(await seriousA11yViolations(page)).toEqual([]);
      // Nothing on the page is wider than the screen (the address wraps, the details stack on a phone).
      expect(await page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth')).toBe(true);
    });

    await step('paid-and-credited', async () => {
      await deposit.getByRole('button', { name: 'Simulate payment' }).click();
      await deposit.getByText('The payment arrived and has been credited to your wallet.').waitFor();
      expect(await deposit.locator('.steps li.done').count()).toBe(4);
      expect(await balanceOf(suite.app, customer, 'BTC')).toMatchObject({ available: '0.00100000' });
      await page.getByRole('cell', { name: 'BTC', exact: true }).waitFor();
    });
  });
});
