import { TestBed } from '@angular/core/testing';
import { settle, setUpApp, submit, typeInto } from '../../../testing/ui';
import { WalletPage } from './wallet.page';

describe('Deposit form', () => {
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
    expect(http.expectOne('/api/wallet/deposit/create').request.body).toEqual({ amount: '250.50', currency: 'usdt' });
  });
});
