import { LOCALE_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { OrderDto, OrderTermsDto } from '../../api/models';
import { button, click, settle, setUpApp, typeInto } from '../../../testing/ui';
import { cmp, sub } from './order-pricing';
import { OrderTicket } from './order-ticket';

/** The ticket for BTC at $104,250, signed in, with $5,000 and some BTC (as GET /api/orders/terms answers). */
async function openTicket(over: Partial<OrderTermsDto> = {}, locale = 'en-US') {
  const http = await setUpApp({ user: {}, providers: [{ provide: LOCALE_ID, useValue: locale }] });
  const fixture = TestBed.createComponent(OrderTicket);
  fixture.componentRef.setInput('symbol', 'BTC');
  fixture.componentRef.setInput('livePrice', '104250');
  await settle(fixture);
  http.expectOne((r) => r.url === '/api/orders/terms').flush({
    terms: { symbol: 'BTC', feeRate: '0.001', quantityDecimals: 8, minNotional: '1.00', usdAvailable: '5000.00', assetAvailable: '0.019980019980019980', ...over },
  });
  await settle(fixture);
  const el = fixture.nativeElement as HTMLElement;
  const amountField = () => el.querySelector<HTMLInputElement>('input[name=amount]')!;
  const fieldErrors = () => [...el.querySelectorAll('mat-error')].map((e) => e.textContent?.trim());
  /** The exact decimal behind each figure of the ticket (what its hover shows in full). */
  const figure = (name: string) => el.querySelector<HTMLElement>(`[data-testid=figure-${name}]`)?.dataset['value'];
  return { http, fixture, el, amountField, fieldErrors, figure };
}

describe('OrderTicket against the balance', () => {
  it('shows what is paid: USD for a buy, the asset for a sell', async () => {
    const { fixture, el } = await openTicket();
    expect(el.querySelector('[data-testid=available]')?.textContent).toContain('Available: $5,000.00');
    await click(fixture, 'Sell');
    expect(el.querySelector('[data-testid=available]')?.textContent).toContain('Available: 0.01998001 BTC');
  });

  it('Max fills the exact amount the balance pays for, fee included, for each side, type and mode', async () => {
    const { fixture, amountField, figure, fieldErrors } = await openTicket();
    // A buy by USD amount never spends or holds more than the amount: all of it.
    await click(fixture, 'Max');
    expect(amountField().value).toBe('5000');
    expect(figure('total')).toBe('5000');

    // A limit buy by quantity: what 5,000 buys at the limit price with its fee, rounded down to 8 decimals.
    await click(fixture, 'Limit');
    await typeInto(fixture, 'input[name=triggerPrice]', '100000');
    await click(fixture, 'Quantity (BTC)');
    await click(fixture, 'Max');
    expect(amountField().value).toBe('0.04995004');
    expect(figure('total')).toBe('4999.999004');
    await click(fixture, 'Review order');
    expect(fieldErrors()).toEqual([]);
    expect(button(fixture, 'Confirm buy')).toBeDefined();

    // A sell by quantity: every digit of the asset held.
    await click(fixture, 'Edit');
    await click(fixture, 'Sell');
    await click(fixture, 'Max');
    expect(amountField().value).toBe('0.01998001998001998');
    // A sell by USD amount at the limit: the asset's value there, rounded down to 8 decimals.
    await click(fixture, 'Amount (USD)');
    await click(fixture, 'Max');
    expect(amountField().value).toBe('1998.001998');
    expect(figure('quantity')).toBe('0.01998001');
  });

  it('writes the Max amount as the reader writes numbers, and sends it as the API takes it', async () => {
    const { http, fixture, amountField } = await openTicket({ usdAvailable: '1234.5' }, 'de-DE');
    await click(fixture, 'Max');
    expect(amountField().value).toBe('1234,5');
    await click(fixture, 'Review order');
    await click(fixture, 'Confirm buy');
    expect(http.expectOne('/api/orders').request.body).toEqual({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '1234.5' });
  });

  it('tells a $1,000,000 order against $5,000 that the balance does not pay for it, under the amount, and sends nothing', async () => {
    const { http, fixture, el, fieldErrors } = await openTicket();
    await typeInto(fixture, 'input[name=amount]', '1000000', { leave: true });
    expect(fieldErrors()).toEqual(['Not enough USD for this order: it needs $1,000,000.00, you have $5,000.00']);
    await click(fixture, 'Review order');
    expect(button(fixture, 'Confirm buy')).toBeUndefined();
    expect(el.querySelectorAll('[role=alert]').length).toBe(0);
    // A limit buy by quantity is checked by what it holds: notional and fee at the limit price.
    await click(fixture, 'Limit');
    await typeInto(fixture, 'input[name=triggerPrice]', '100000');
    await click(fixture, 'Quantity (BTC)');
    await typeInto(fixture, 'input[name=amount]', '0.05', { leave: true });
    expect(fieldErrors()).toEqual(['Not enough USD for this order: it needs $5,005.00, you have $5,000.00']);
    await typeInto(fixture, 'input[name=amount]', '0.04995004', { leave: true });
    expect(fieldErrors()).toEqual([]);
    // Too small is said the same way.
    await typeInto(fixture, 'input[name=amount]', '0.000001', { leave: true });
    expect(fieldErrors()).toEqual(['The order is too small: its value must be at least $1.00']);
    http.expectNone('/api/orders');
    http.verify();
  });

  it('reviews a limit buy by USD amount with the quantity, price, fee and total of the order the server then creates', async () => {
    const { http, fixture, el, figure } = await openTicket();
    await click(fixture, 'Limit');
    await typeInto(fixture, 'input[name=triggerPrice]', '100000');
    await typeInto(fixture, 'input[name=amount]', '1000');
    await click(fixture, 'Review order');
    expect(el.textContent).toContain('Buy 0.00999 BTC with a limit at $100,000.00.');
    const review = { quantity: figure('quantity')!, price: figure('price')!, fee: figure('fee')!, total: figure('total')! };
    expect(review).toEqual({ quantity: '0.00999', price: '100000', fee: '0.999', total: '999.999' });

    await click(fixture, 'Confirm buy');
    const req = http.expectOne('/api/orders');
    expect(req.request.body).toEqual({ symbol: 'BTC', side: 'buy', type: 'limit', quoteAmount: '1000', limitPrice: '100000' });
    // The server's answer to this order (e2e/api/orders/orders-by-amount.e2e-spec.ts).
    const order: Partial<OrderDto> = {
      id: 'o1', symbol: 'BTC', side: 'buy', type: 'limit', status: 'open', quantity: '0.00999000', quoteAmount: null, limitPrice: '100000.00',
      stopPrice: null, filledPrice: null, fee: null, feeAsset: 'USD', createdAt: '2026-12-01T10:00:00Z', filledAt: null,
      sizedBy: 'quantity', reservedAsset: 'USD', reservedAmount: '999.999',
    };
    req.flush({ order });
    await settle(fixture);
    expect(cmp(review.quantity, order.quantity!)).toBe(0);
    expect(cmp(review.price, order.limitPrice!)).toBe(0);
    expect(cmp(review.total, order.reservedAmount!)).toBe(0);
    // The hold is the notional at the limit plus the fee.
    expect(cmp(review.fee, sub(order.reservedAmount!, '999'))).toBe(0);
    expect(el.textContent).toContain('Order open');
  });

  it('reviews a stop buy by USD amount as holding the amount, its quantity set when it fills', async () => {
    const { fixture, el, figure } = await openTicket();
    await click(fixture, 'Stop');
    await typeInto(fixture, 'input[name=triggerPrice]', '101000');
    await typeInto(fixture, 'input[name=amount]', '500.50');
    await click(fixture, 'Review order');
    expect(el.textContent).toContain('Buy BTC for $500.50 when the price reaches $101,000.00.');
    expect(el.textContent).toContain('≈0.00495049 BTC, set when it fills');
    expect([figure('fee'), figure('total')]).toEqual(['0.5', '500.5']);
  });
});
