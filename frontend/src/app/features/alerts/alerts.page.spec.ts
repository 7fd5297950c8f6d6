import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { AlertDto } from '../../api/models';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { buttonByName, buttonByText, chooseOption, dialogClosed, rows, tick } from '../../../testing/dom';
import { AlertsPage } from './alerts.page';

const alert = (id: string, patch: Partial<AlertDto>): AlertDto => ({
  id, symbol: 'BTC', condition: 'above', targetPrice: '70000', active: true, notifyEmail: false, notifyPush: false,
  triggeredAt: null, triggeredPrice: null, createdAt: '2026-11-28T10:00:00Z', updatedAt: '2026-11-28T10:00:00Z', ...patch,
});
const armed = alert('a1', {});
const fired = alert('a2', { symbol: 'ETH', condition: 'below', targetPrice: '3000', active: false, triggeredAt: '2026-11-28T12:00:00Z', triggeredPrice: '2999.5', notifyEmail: true });

describe('AlertsPage', () => {
  let http: HttpTestingController;

  async function open(symbol?: string) {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(AlertsPage);
    if (symbol) fixture.componentRef.setInput('symbol', symbol);
    await tick();
    http.expectOne('/api/crypto').flush({ cryptocurrencies: [{ symbol: 'BTC', name: 'Bitcoin' }, { symbol: 'ETH', name: 'Ethereum' }] });
    http.expectOne((r) => r.url === '/api/alerts' && r.method === 'GET').flush({ items: [armed, fired], nextCursor: null });
    await tick();
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const list = () => rows(el.querySelector('[data-testid=alerts]'));
    const target = () => el.querySelector<HTMLInputElement>('input[name=targetPrice]')!;
    const type = async (value: string) => {
      target().value = value;
      target().dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    const submit = async () => {
      el.querySelector('form')!.dispatchEvent(new Event('submit'));
      await tick();
    };
    return { fixture, el, list, type, submit };
  }

  it('shows armed and triggered alerts, with the price that fired one', async () => {
    const { list } = await open();
    expect(list()[0]).toEqual(expect.arrayContaining(['BTC', 'Rises above', '$70,000.00', 'armed', '—', 'In app']));
    expect(list()[1]).toEqual(expect.arrayContaining(['ETH', 'Falls below', '$3,000.00', 'triggered', 'In app, email']));
    expect(list()[1].join(' ')).toContain('at $2,999.50');
  });

  it('creates an alert for the asset given in the address, with the target price as typed', async () => {
    const { fixture, el, list, type, submit } = await open('eth');
    expect(el.querySelector('mat-select[name=symbol]')?.textContent).toContain('ETH · Ethereum');

    await type('12,5');
    await submit();
    expect(el.querySelector('mat-error')?.textContent).toContain('Enter a target price like 250 or 0.5');
    http.expectNone((r) => r.method === 'POST');

    await chooseOption(el, 'Condition', 'Price falls below');
    await type('2500.12345678');
    await submit();
    const post = http.expectOne((r) => r.url === '/api/alerts' && r.method === 'POST');
    expect(post.request.body).toEqual({ symbol: 'ETH', condition: 'below', targetPrice: '2500.12345678', notifyEmail: false, notifyPush: false });
    post.flush(alert('a3', { symbol: 'ETH', condition: 'below', targetPrice: '2500.12345678' }));
    await tick();
    await fixture.whenStable();
    expect(list()[0]).toEqual(expect.arrayContaining(['ETH', 'Falls below', '$2,500.12', 'armed']));
    http.verify();
  });

  it('shows the server\'s reason when it refuses an alert', async () => {
    const { fixture, el, type, submit } = await open('BTC');
    await type('80000');
    await submit();
    http.expectOne((r) => r.method === 'POST').flush(
      { statusCode: 422, error: { code: 'ALERT_LIMIT', message: 'At most 20 active alerts', details: [] } },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await tick();
    await fixture.whenStable();
    expect(el.querySelector('[role=alert]')?.textContent).toContain('At most 20 active alerts');
  });

  it('edits, pauses, re-arms and (after confirmation) deletes alerts', async () => {
    const { fixture, el, list, type, submit } = await open();

    buttonByName(el, 'Edit BTC above $70,000.00 alert').click();
    await fixture.whenStable();
    expect(el.textContent).toContain('Edit BTC alert');
    await type('72000');
    await submit();
    const patch = http.expectOne('/api/alerts/a1');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ condition: 'above', targetPrice: '72000', notifyEmail: false, notifyPush: false });
    patch.flush({ ...armed, targetPrice: '72000' });
    await tick();
    await fixture.whenStable();
    expect(list()[0]).toContain('$72,000.00');
    expect(el.textContent).toContain('New alert');

    buttonByName(el, 'Pause BTC above $72,000.00 alert').click();
    const pause = http.expectOne('/api/alerts/a1');
    expect(pause.request.body).toEqual({ active: false });
    pause.flush({ ...armed, targetPrice: '72000', active: false });
    await tick();
    await fixture.whenStable();
    expect(list()[0]).toContain('paused');

    buttonByName(el, 'Re-arm ETH below $3,000.00 alert').click();
    const rearm = http.expectOne('/api/alerts/a2');
    expect(rearm.request.body).toEqual({ active: true });
    rearm.flush({ ...fired, active: true });
    await tick();
    await fixture.whenStable();
    expect(list()[1]).toContain('armed');

    buttonByName(el, 'Delete ETH below $3,000.00 alert').click();
    await tick();
    buttonByText(document.body, 'Delete alert').click();
    await dialogClosed();
    const del = http.expectOne('/api/alerts/a2');
    expect(del.request.method).toBe('DELETE');
    del.flush(null, { status: 204, statusText: 'No Content' });
    await tick();
    await fixture.whenStable();
    expect(list().map((r) => r[0])).toEqual(['BTC']);
    http.verify();
  });

  it('reloads when the user socket reports a fired alert', async () => {
    const { fixture, list } = await open();
    TestBed.inject(UserEventsStore).alertsChanged.update((n) => n + 1);
    await fixture.whenStable();
    http.expectOne((r) => r.url === '/api/alerts').flush({ items: [{ ...armed, active: false, triggeredAt: '2026-11-28T13:00:00Z', triggeredPrice: '70001' }], nextCursor: null });
    await tick();
    await fixture.whenStable();
    expect(list()[0]).toEqual(expect.arrayContaining(['triggered']));
    http.verify();
  });
});
