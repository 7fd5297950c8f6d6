import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { SessionStore } from '../../core/auth/session.store';
import { authInterceptor } from '../../core/http/auth.interceptor';
import { errorInterceptor } from '../../core/http/error.interceptor';
import { OrderTicket } from './order-ticket';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('OrderTicket', () => {
  it('estimates cost and fee, asks for confirmation, then places the order with an idempotency key', async () => {
    document.cookie = 'csrf_token=abcdefabcdefabcdef; path=/';
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([errorInterceptor, authInterceptor])), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpTestingController);
    await tick();
    http.match('/api/auth/me').forEach((r) => r.flush({ user: { id: 'u' } }));
    TestBed.inject(SessionStore).setUser({ id: 'u', name: 'Ada', email: 'a@x', role: 'user', emailVerified: true, twoFactorEnabled: false, securityHold: null, createdAt: '' });

    const fixture = TestBed.createComponent(OrderTicket);
    fixture.componentRef.setInput('symbol', 'BTC');
    fixture.componentRef.setInput('livePrice', '50000');
    await tick();
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;

    const amount = el.querySelector<HTMLInputElement>('input[inputmode=decimal]')!;
    amount.value = '1000';
    amount.dispatchEvent(new Event('input'));
    await tick();
    await fixture.whenStable();
    // "Amount in USD" on a market buy is the total, fee included: about $999.00 of BTC plus a $1.00 fee.
    expect(el.textContent).toContain('Total you pay, fee included');
    // 999 / 50,000 = 0.01998 minus the fee's share, rounded down: never more than the order buys.
    expect(el.textContent).toContain('0.01998001 BTC');
    expect(el.textContent).toContain('$999.00');
    expect(el.textContent).toContain('$1.00');
    expect(el.textContent).toMatch(/Total you pay\s*\$1,000\.00/);

    const button = (label: string) => [...el.querySelectorAll('button')].find((b) => b.textContent?.trim().startsWith(label))!;
    button('Review order').click();
    await tick();
    await fixture.whenStable();
    expect(el.textContent).toContain('Buy $1,000.00 of BTC at market');
    expect(el.textContent).toContain('$1,000.00 in total, fee included');
    button('Confirm buy').click();
    await tick();
    const req = http.expectOne('/api/orders');
    expect(req.request.body).toEqual({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '1000' });
    expect(req.request.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    req.flush({
      order: { id: 'o', symbol: 'BTC', side: 'buy', type: 'market', status: 'filled', quantity: '0.01998', quoteAmount: '1000', filledPrice: '50000', fee: '1.00', feeAsset: 'USD' },
    });
    await tick();
    await fixture.whenStable();
    expect(el.textContent).toContain('Order filled');
  });
});
