import { TestBed } from '@angular/core/testing';
import { apiError, settle, setUpApp, submit, typeInto } from '../../../testing/ui';
import { AlertsPage } from './alerts.page';

async function openAlerts() {
  const http = await setUpApp({ user: {} });
  const fixture = TestBed.createComponent(AlertsPage);
  fixture.componentRef.setInput('symbol', 'BTC');
  await settle(fixture);
  http.expectOne('/api/crypto').flush({ cryptocurrencies: [{ symbol: 'BTC', name: 'Bitcoin' }] });
  http.expectOne((r) => r.url === '/api/alerts' && r.method === 'GET').flush({ items: [], nextCursor: null });
  await settle(fixture);
  const el = fixture.nativeElement as HTMLElement;
  /** Types into the field and leaves it, as a person does. */
  const typeTarget = (value: string) => typeInto(fixture, 'input[name=targetPrice]', value, { leave: true });
  const fieldErrors = () => [...el.querySelectorAll('mat-error')].map((e) => e.textContent?.trim());
  return { http, fixture, el, typeTarget, fieldErrors };
}

describe('Alert form checks the target price before anything is sent', () => {
  it('tells a 40-digit target it is too large (not that it has too many decimals), and sends nothing', async () => {
    const { http, fixture, typeTarget, fieldErrors } = await openAlerts();
    await typeTarget('1'.repeat(40));
    expect(fieldErrors()).toEqual(['That number is too large (at most 1,000,000,000,000)']);
    await submit(fixture);
    expect(fieldErrors()).toEqual(['That number is too large (at most 1,000,000,000,000)']);
    http.expectNone((r) => r.method === 'POST');
    http.verify();
  });

  it('says the most relevant thing about each wrong target, one message at a time', async () => {
    const { http, fixture, typeTarget, fieldErrors } = await openAlerts();
    for (const [typed, message] of [
      ['', 'Enter a target price, like 70000'],
      ['1e5', 'Enter a target price like 250 or 0.5'],
      ['-5', 'Enter a target price more than 0'],
      ['0', 'Enter a target price more than 0'],
      ['65000.123456789', 'Use at most 8 decimals'],
    ]) {
      await typeTarget(typed);
      await submit(fixture);
      expect(fieldErrors()).toEqual([message]);
    }
    http.expectNone((r) => r.method === 'POST');
    http.verify();
  });

  it('starts afresh once an alert is created: the emptied target is not told to enter one', async () => {
    const { http, fixture, el, typeTarget, fieldErrors } = await openAlerts();
    await typeTarget('65000,5');
    await submit(fixture);
    expect(fieldErrors()).toEqual(['Enter a target price like 250 or 0.5']);
    await typeTarget('65000.5');
    await submit(fixture);
    const post = http.expectOne((r) => r.method === 'POST');
    expect(post.request.body).toMatchObject({ symbol: 'BTC', targetPrice: '65000.5' });
    post.flush({
      id: 'a1', symbol: 'BTC', condition: 'above', targetPrice: '65000.5', active: true, notifyEmail: false, notifyPush: false,
      triggeredAt: null, triggeredPrice: null, createdAt: '2026-11-28T10:00:00Z', updatedAt: '2026-11-28T10:00:00Z',
    });
    await settle(fixture);
    expect(el.querySelector<HTMLInputElement>('input[name=targetPrice]')!.value).toBe('');
    expect(fieldErrors()).toEqual([]);
    http.verify();
  });

  it("shows the server's refusal of the target once, in the target's slot", async () => {
    const { http, fixture, el, typeTarget, fieldErrors } = await openAlerts();
    await typeTarget('65000');
    await submit(fixture);
    const refusal = 'Enter a target price more than 0';
    http.expectOne((r) => r.method === 'POST').flush(...apiError(400, 'VALIDATION_FAILED', refusal, [{ field: 'targetPrice', message: refusal }]));
    await settle(fixture);
    expect(fieldErrors()).toEqual([refusal]);
    expect(el.textContent!.split(refusal).length - 1).toBe(1);
    http.verify();
  });
});
