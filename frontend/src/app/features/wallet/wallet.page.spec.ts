import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { authInterceptor } from '../../core/http/auth.interceptor';
import { errorInterceptor } from '../../core/http/error.interceptor';
import { WalletPage } from './wallet.page';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('WalletPage', () => {
  it('creates a deposit, shows where to pay, and simulates the payment in sandbox mode', async () => {
    document.cookie = 'csrf_token=abcdefabcdefabcdef; path=/';
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([errorInterceptor, authInterceptor])), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(WalletPage);
    await tick();
    http.expectOne('/api/wallet/balance').flush({ wallet: { balances: [], totalUsd: '0.00', updatedAt: null } });
    http.expectOne('/api/wallet/withdrawals?limit=20').flush({ items: [], nextCursor: null });
    await tick();
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    expect(el.textContent).toContain('No balance yet');

    el.querySelector('form')!.dispatchEvent(new Event('submit'));
    await tick();
    const create = http.expectOne('/api/wallet/deposit/create');
    expect(create.request.body).toEqual({ asset: 'USD', amount: '100', currency: 'usdt' });
    const deposit = {
      orderId: 'o1', paymentId: 'p1', asset: 'USD', amount: '100.00', creditedAmount: '0.00', currency: 'usdt', payAddress: 'TSandboxAddress', payAmount: '100.000000',
      expiresAt: '2026-11-28T21:00:00Z', status: 'waiting', provider: 'sandbox', createdAt: '2026-11-28T19:00:00Z',
    };
    create.flush(deposit);
    await tick();
    await fixture.whenStable();
    expect(el.textContent).toContain('TSandboxAddress');
    expect(el.textContent).toContain('100 USDT');

    const simulate = [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('Simulate payment'))!;
    simulate.click();
    await tick();
    http.expectOne('/api/wallet/deposit/o1/simulate').flush({ deposit: { ...deposit, status: 'finished' } });
    await tick();
    http.expectOne('/api/wallet/balance').flush({
      wallet: { balances: [{ asset: 'USD', available: '100.00', locked: '0', total: '100.00', usdValue: '100.00' }], totalUsd: '100.00', updatedAt: null },
    });
    await tick();
    await fixture.whenStable();
    expect(el.textContent).toContain('The payment arrived and has been credited to your wallet.');
    expect([...el.querySelectorAll('button')].some((b) => b.textContent?.includes('Simulate payment'))).toBe(false);
    expect(el.textContent).toContain('$100.00');
    http.match('/api/auth/me').forEach((r) => r.flush({ user: { id: 'u' } }));
    http.verify();
  });
});
