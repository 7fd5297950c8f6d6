import { TestBed } from '@angular/core/testing';
import { button, click, settle, setUpApp, typeInto } from '../../../testing/ui';
import { OrderTicket } from './order-ticket';

describe('OrderTicket', () => {
  it('prices the order as the server will, asks for confirmation, then places it with an idempotency key', async () => {
    const http = await setUpApp({ user: {} });
    const fixture = TestBed.createComponent(OrderTicket);
    fixture.componentRef.setInput('symbol', 'BTC');
    fixture.componentRef.setInput('livePrice', '50000');
    await settle(fixture);
    http.expectOne((r) => r.url === '/api/orders/terms' && r.params.get('symbol') === 'BTC').flush({
      terms: { symbol: 'BTC', feeRate: '0.001', quantityDecimals: 8, minNotional: '1.00', usdAvailable: '5000.00', assetAvailable: '0.00000000' },
    });
    await settle(fixture);
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('[data-testid=available]')?.textContent).toContain('Available: $5,000.00');

    await typeInto(fixture, 'input[name=amount]', '1000');
    // "Amount in USD" on a market buy is the total, fee included: 999.000999 of BTC plus a 0.999001 fee.
    expect(el.textContent).toContain('Total you pay, fee included');
    // 999.000999 / 50,000 rounded down: never more than the order buys.
    expect(el.textContent).toContain('0.01998001 BTC');
    expect(el.textContent).toMatch(/Fee \(0\.10%\)\s*\$1\.00/);
    expect(el.textContent).toMatch(/Total you pay\s*\$1,000\.00/);

    await click(fixture, 'Review order');
    expect(el.textContent).toContain('Buy 0.01998001 BTC at market.');
    await click(fixture, 'Confirm buy');
    const req = http.expectOne('/api/orders');
    expect(req.request.body).toEqual({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '1000' });
    expect(req.request.headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    req.flush({
      order: { id: 'o', symbol: 'BTC', side: 'buy', type: 'market', status: 'filled', quantity: '0.01998001998', quoteAmount: '999.000999', filledPrice: '50000', fee: '0.999001', feeAsset: 'USD' },
    });
    await settle(fixture);
    expect(el.textContent).toContain('Order filled');
    // What the user has changed: the ticket asks again.
    http.expectOne((r) => r.url === '/api/orders/terms');
    expect(button(fixture, 'New order')).toBeDefined();
  });
});
