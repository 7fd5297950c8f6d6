import { TestBed } from '@angular/core/testing';
import { apiError, button, click, settle, setUpApp, typeInto } from '../../../testing/ui';
import { OrderTicket } from './order-ticket';

/** The ticket for BTC at $50,000, signed in. */
async function openTicket() {
  const http = await setUpApp({ user: {} });
  const fixture = TestBed.createComponent(OrderTicket);
  fixture.componentRef.setInput('symbol', 'BTC');
  fixture.componentRef.setInput('livePrice', '50000');
  await settle(fixture);
  // What the server says the user has and how it prices (GET /api/orders/terms).
  http.expectOne((r) => r.url === '/api/orders/terms').flush({
    terms: { symbol: 'BTC', feeRate: '0.001', quantityDecimals: 8, minNotional: '1.00', usdAvailable: '5000.00', assetAvailable: '0.00000000' },
  });
  await settle(fixture);
  const el = fixture.nativeElement as HTMLElement;
  /** Types into the field and leaves it, as a person does. */
  const typeAmount = (value: string) => typeInto(fixture, 'input[name=amount]', value, { leave: true });
  /** The messages shown under the fields (Material's error slot). */
  const fieldErrors = () => [...el.querySelectorAll('mat-error')].map((e) => e.textContent?.trim());
  return { http, fixture, el, typeAmount, fieldErrors };
}

describe('OrderTicket checks what is typed before anything is sent', () => {
  it('tells "1e5" typed as a quantity what to enter, under the field, and sends nothing', async () => {
    const { http, fixture, el, typeAmount, fieldErrors } = await openTicket();
    await click(fixture, 'Quantity (BTC)');
    await typeAmount('1e5');
    expect(fieldErrors()).toEqual(['Enter a quantity like 250 or 0.5']);

    await click(fixture, 'Review order');
    expect(button(fixture, 'Confirm buy')).toBeUndefined();
    expect(el.textContent).not.toContain('Buy 1e5');
    http.expectNone('/api/orders');
    http.verify();
  });

  it('tells a dollar amount with 9 decimals to use at most 8, and sends nothing', async () => {
    const { http, fixture, typeAmount, fieldErrors } = await openTicket();
    await typeAmount('100.123456789');
    expect(fieldErrors()).toEqual(['Use at most 8 decimals']);
    await click(fixture, 'Review order');
    expect(button(fixture, 'Confirm buy')).toBeUndefined();
    http.expectNone('/api/orders');
    http.verify();
  });

  it('asks for an amount when Review is pressed with none, and for a limit price on a limit order', async () => {
    const { http, fixture, fieldErrors } = await openTicket();
    await click(fixture, 'Limit');
    await click(fixture, 'Review order');
    expect(fieldErrors()).toEqual(['Enter a limit price, like 70000', 'Enter an amount in USD, like 100']);
    http.expectNone('/api/orders');
    http.verify();
  });

  it("shows the server's refusal of a field once, under that field, and not again under the form", async () => {
    const { http, fixture, el, typeAmount, fieldErrors } = await openTicket();
    await typeAmount('1000');
    expect(fieldErrors()).toEqual([]);
    await click(fixture, 'Review order');
    await click(fixture, 'Confirm buy');
    const refusal = 'That number is too large (at most 100,000,000,000,000)';
    http.expectOne('/api/orders').flush(...apiError(400, 'VALIDATION_FAILED', refusal, [{ field: 'quoteAmount', message: refusal }]));
    await settle(fixture);
    expect(fieldErrors()).toEqual([refusal]);
    expect(el.textContent!.split(refusal).length - 1).toBe(1);

    // Typing again clears it: the server's answer was about the value it was given.
    await typeAmount('999');
    expect(fieldErrors()).toEqual([]);
    http.verify();
  });
});
