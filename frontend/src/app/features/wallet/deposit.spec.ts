import { TestBed } from '@angular/core/testing';
import * as QRCode from 'qrcode';
import type { DepositDto } from '../../api/models';
import { choose, click, settle, setUpApp, submit, typeInto, until } from '../../../testing/ui';
import { divideDecimals, depositStep } from './deposit';
import { timeLeft } from './deposit-countdown';
import { loadQrCode, qrPath } from './deposit-qr';
import { WalletPage } from './wallet.page';

async function openWallet() {
  const http = await setUpApp({ user: {} });
  const fixture = TestBed.createComponent(WalletPage);
  await settle(fixture);
  http.expectOne('/api/wallet/balance').flush({ wallet: { balances: [], totalUsd: '0.00', updatedAt: null } });
  http.expectOne('/api/wallet/withdrawals?limit=20').flush({ items: [], nextCursor: null });
  await settle(fixture);
  return { http, fixture, el: fixture.nativeElement as HTMLElement };
}

const btcDeposit: DepositDto = {
  orderId: '7f1c2d4e-0000-4000-8000-000000000001',
  paymentId: '5077125051',
  asset: 'BTC',
  amount: '0.05000000',
  creditedAmount: '0.00000000',
  currency: 'btc',
  payAddress: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  payAmount: '0.05000000',
  expiresAt: new Date(Date.now() + 20 * 60_000 + 30_000).toISOString(),
  status: 'waiting',
  provider: 'nowpayments',
  creditedAt: null,
  createdAt: new Date().toISOString(),
};

describe('Deposit form', () => {
  afterEach(() => sessionStorage.clear());

  it("says the API's range, refuses amounts outside it before sending, and sends one inside it", async () => {
    const http = await setUpApp({ user: {} });
    const fixture = TestBed.createComponent(WalletPage);
    await settle(fixture);
    http.expectOne('/api/wallet/balance').flush({ wallet: { balances: [], totalUsd: '0.00', updatedAt: null } });
    http.expectOne('/api/wallet/withdrawals?limit=20').flush({ items: [], nextCursor: null });
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const form = () => el.querySelector<HTMLFormElement>('form')!;
    const amountMessages = () => [...el.querySelector('input[name=amount]')!.closest('mat-form-field')!.querySelectorAll('mat-error, mat-hint')].map((m) => m.textContent!.trim());

    expect(amountMessages()).toEqual(['From $10.00 to $100,000.00']);
    for (const [amount, message] of [
      ['', 'Enter an amount, like 250.00'],
      ['5', 'Enter an amount of 10 or more'],
      ['250000', 'That number is too large (at most 100,000)'],
      ['100.505', 'Use at most 2 decimals'],
      ['$100', 'Enter an amount like 250 or 12.50'],
    ]) {
      await typeInto(fixture, 'input[name=amount]', amount);
      await submit(fixture, form());
      expect(amountMessages()).toEqual([message]);
    }
    http.expectNone('/api/wallet/deposit/create');

    await typeInto(fixture, 'input[name=amount]', ' 250.50 ');
    await submit(fixture, form());
    expect(http.expectOne('/api/wallet/deposit/create').request.body).toEqual({ asset: 'USD', amount: '250.50', currency: 'usdt' });
  });

  it('deposits a crypto asset as itself: a quantity of it, paid in it, saying nothing is sold', async () => {
    const { http, fixture, el } = await openWallet();
    const options = await choose(fixture, 'depositAsset', 'BTC');
    expect(options).toEqual(['US dollars (USD)', 'BTC', 'ETH', 'USDT', 'USDC', 'LTC', 'BNB', 'SOL']);
    expect(el.querySelector('input[name=amount]')).toBeNull();
    expect(el.querySelector('mat-select[name=currency]')).toBeNull();
    expect(el.textContent).toContain('You send BTC and the BTC that arrives is credited to your wallet as BTC: nothing is sold or converted.');
    const messages = () => [...el.querySelector('input[name=quantity]')!.closest('mat-form-field')!.querySelectorAll('mat-error, mat-hint')].map((m) => m.textContent!.trim());
    expect(messages()).toEqual(['Worth $10.00 to $100,000.00 at the market price']);
    await typeInto(fixture, 'input[name=quantity]', '0.000000001');
    await submit(fixture);
    expect(messages()).toEqual(['Use at most 8 decimals']);
    http.expectNone('/api/wallet/deposit/create');
    await typeInto(fixture, 'input[name=quantity]', '0.05');
    await submit(fixture);
    const create = http.expectOne('/api/wallet/deposit/create');
    expect(create.request.body).toEqual({ asset: 'BTC', quantity: '0.05' });
    create.flush(btcDeposit);
    await settle(fixture);

    // The QR code is drawn from the payment URI, and says what it holds.
    const svg = await until(() => el.querySelector('[data-testid=deposit-qr]'));
    expect(svg.getAttribute('aria-label')).toBe(`QR code for bitcoin:${btcDeposit.payAddress}?amount=0.05000000`);
    expect(el.querySelector('[data-testid=pay-amount]')!.textContent).toBe('0.05 BTC');
    expect(el.querySelector('[data-testid=credited]')!.textContent!.trim()).toBe('0.05 BTC, as BTC (nothing is sold or converted)');
    expect(el.textContent).not.toContain('Rate');
    expect(el.textContent).toMatch(/Time left to pay\s*20:\d\d left/);
    const steps = () => [...el.querySelectorAll('.steps li')].map((li) => `${li.getAttribute('aria-current') ? '>' : ''}${[...li.querySelectorAll('span')].map((x) => x.textContent!.trim()).join(' ')}`);
    expect(steps()).toEqual(['>1 Waiting for payment', '2 Confirming on the network', '3 Confirmed', '4 Credited']);

    // Copy buttons put the exact figures on the clipboard and say so.
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: (t: string) => (copied.push(t), Promise.resolve()) }, configurable: true });
    await click(fixture, 'Copy address');
    expect(copied).toEqual([btcDeposit.payAddress]);
    expect(el.textContent).toContain('Copied');
    expect(el.querySelector('[role=status]')!.textContent).toBe('Address copied');
    await click(fixture, 'Copy amount');
    expect(copied).toEqual([btcDeposit.payAddress, '0.05000000']);
    expect(el.querySelector('[role=status]')!.textContent).toBe('Amount copied');

    // A reload of the page shows the deposit being paid again, as it is now.
    expect(sessionStorage.getItem('cv.wallet.deposit')).toBe(btcDeposit.orderId);
    fixture.destroy();
    const again = TestBed.createComponent(WalletPage);
    await settle(again);
    http.expectOne(`/api/wallet/deposit/${btcDeposit.orderId}`).flush({ deposit: { ...btcDeposit, status: 'partially_paid', creditedAmount: '0.02000000' } });
    http.match(() => true).forEach((r) => r.flush({ wallet: { balances: [], totalUsd: '0.00', updatedAt: null }, items: [], nextCursor: null }));
    await settle(again);
    const page = again.nativeElement as HTMLElement;
    expect(page.textContent).toMatch(/Credited so far\s*0\.02 BTC/);
    expect(page.textContent).toContain('Paid in part: what arrived has been credited.');
    expect([...page.querySelectorAll('.steps li.done')].length).toBe(3);
  });

  it('shows the rate of a USD deposit before paying, paid in a stablecoin', async () => {
    const { http, fixture, el } = await openWallet();
    const currencies = await choose(fixture, 'currency', 'USDC');
    expect(currencies).toEqual(['USDT', 'USDC']);
    expect(el.textContent).toContain('You send USDT or USDC, dollar stablecoins, and the dollars you enter are credited to your wallet.');
    await submit(fixture);
    const create = http.expectOne('/api/wallet/deposit/create');
    expect(create.request.body).toEqual({ asset: 'USD', amount: '100', currency: 'usdc' });
    create.flush({ ...btcDeposit, asset: 'USD', amount: '100.00', creditedAmount: '0.00', currency: 'usdc', payAmount: '100.05', payAddress: '0xde709f2102306220921060314715629080e2fb77' });
    await settle(fixture);
    expect(el.querySelector('[data-testid=credited]')!.textContent!.trim()).toBe('$100.00 in US dollars');
    expect(el.textContent).toMatch(/Rate\s*1 USDC = \$0\.9995/);
  });
});

describe('deposit helpers', () => {
  it('draws the matrix qrcode computes for the text, dark modules as unit squares inside a quiet zone', async () => {
    const qr = await loadQrCode();
    const { modules } = qr.create('bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq?amount=0.05', { errorCorrectionLevel: 'M' });
    expect(modules).toEqual(QRCode.create('bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq?amount=0.05', { errorCorrectionLevel: 'M' }).modules);
    const path = qrPath(modules);
    const drawn = new Set([...path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${Number(m[2]) - 4},${Number(m[1]) - 4}`));
    const dark = new Set<string>();
    for (let r = 0; r < modules.size; r++) for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) dark.add(`${r},${c}`);
    expect(drawn).toEqual(dark);
    // The three finder patterns: a dark 7 × 7 frame in three corners.
    for (const [r, c] of [[0, 0], [0, modules.size - 7], [modules.size - 7, 0]]) {
      expect(modules.get(r, c) && modules.get(r + 6, c + 6) && !modules.get(r + 1, c + 1) && modules.get(r + 3, c + 3)).toBeTruthy();
    }
  });

  it('counts down to the second, divides exactly, and places each status on the steps', () => {
    expect(timeLeft(20 * 60_000 + 30_999)).toBe('20:30');
    expect(timeLeft(3_600_000 + 62_000)).toBe('1:01:02');
    expect(timeLeft(-5)).toBe('0:00');
    expect(divideDecimals('100.00', '100.05', 4)).toBe('0.9995');
    expect(divideDecimals('250', '0.00263158', 2)).toBe('94999.96');
    expect(['waiting', 'confirming', 'confirmed', 'sending', 'partially_paid', 'finished', 'expired'].map((s) => depositStep(s as DepositDto['status']))).toEqual([0, 1, 2, 2, 3, 4, null]);
  });
});
