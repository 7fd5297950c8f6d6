import { TestBed } from '@angular/core/testing';
import { WalletPage } from '../app/features/wallet/wallet.page';
import { settle, setUpApp } from './ui';

describe('setUpApp', () => {
  it('starts each app as a new tab: a deposit an earlier test left open is not reloaded by the next wallet page', async () => {
    // What wallet.page.spec leaves behind when its deposit is shown (wallet.store.ts keeps it for a reload).
    sessionStorage.setItem('cv.wallet.deposit', 'o1');
    localStorage.setItem('cv-lang', 'es');
    const http = await setUpApp({ user: {} });
    const fixture = TestBed.createComponent(WalletPage);
    await settle(fixture);
    expect(http.match('/api/wallet/deposit/o1')).toEqual([]);
    expect(localStorage.getItem('cv-lang')).toBeNull();
  });
});
