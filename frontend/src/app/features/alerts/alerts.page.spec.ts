import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { AlertDto } from '../../api/models';
import { UserEventsStore } from '../../core/notifications/user-events.store';
import { buttonByName, buttonByText, chooseOption, dialogClosed, rows, tick } from '../../../testing/dom';
import { apiError } from '../../../testing/ui';
import { AlertsPage } from './alerts.page';

const alert = (id: string, patch: Partial<AlertDto>): AlertDto => ({
  id, symbol: 'BTC', kind: 'price', condition: 'above', targetPrice: '70000', movePct: null, cooldownSeconds: null, rearmAt: null,
  active: true, notifyEmail: false, notifyPush: false, triggeredAt: null, triggeredPrice: null, triggeredChange: null,
  createdAt: '2026-11-28T10:00:00Z', updatedAt: '2026-11-28T10:00:00Z', ...patch,
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
    expect(list()[0]).toEqual(expect.arrayContaining(['BTC', 'Rises above', '$70,000.00', 'armed', 'Once', '—', 'In app']));
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
    expect(post.request.body).toEqual({
      symbol: 'ETH', kind: 'price', condition: 'below', targetPrice: '2500.12345678', cooldownSeconds: null, notifyEmail: false, notifyPush: false,
    });
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
    expect(patch.request.body).toEqual({ condition: 'above', targetPrice: '72000', cooldownSeconds: null, notifyEmail: false, notifyPush: false });
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

  it('creates a repeating alert on a 24 h move, and shows it with its percentage, its cooldown and the change now', async () => {
    const { fixture, el, list, submit } = await open('BTC');
    await chooseOption(el, 'Alert on', '24 h move');
    await fixture.whenStable();
    expect(el.querySelector('input[name=targetPrice]')).toBeNull();
    await chooseOption(el, 'Condition', 'Falls in 24 h by');
    const move = el.querySelector<HTMLInputElement>('input[name=movePct]')!;
    move.value = '7,5';
    move.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    await submit();
    expect(el.querySelector('mat-error')?.textContent).toContain('Enter a move in percent like');
    http.expectNone((r) => r.method === 'POST');
    move.value = '7.5';
    move.dispatchEvent(new Event('input'));
    el.querySelector<HTMLElement>('mat-checkbox[name=repeat] input')!.click();
    await fixture.whenStable();
    await chooseOption(el, 'Fire again after', 'Every day');
    await submit();
    const post = http.expectOne((r) => r.url === '/api/alerts' && r.method === 'POST');
    expect(post.request.body).toEqual({ symbol: 'BTC', kind: 'move', condition: 'down', movePct: '7.5', cooldownSeconds: 86400, notifyEmail: false, notifyPush: false });
    post.flush(alert('m1', { kind: 'move', condition: 'down', targetPrice: null, movePct: '7.50', cooldownSeconds: 86400 }));
    await tick();
    await fixture.whenStable();
    expect(list()[0]).toEqual(expect.arrayContaining(['BTC', 'Down in 24 h by', '-7.50%', 'armed', 'Every day']));
    expect(buttonByName(el, 'Delete BTC down 7.50% in 24 h alert')).toBeTruthy();
    http.verify();
  });

  it('shows a repeating alert that fired as cooling down until it is armed again', async () => {
    const { fixture, list } = await open();
    TestBed.inject(UserEventsStore).alertsChanged.update((n) => n + 1);
    await fixture.whenStable();
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    http.expectOne((r) => r.url === '/api/alerts').flush({
      items: [{ ...armed, cooldownSeconds: 3600, rearmAt: soon, triggeredAt: '2026-11-28T13:00:00Z', triggeredPrice: '70001', triggeredChange: '1.2' }],
      nextCursor: null,
    });
    await tick();
    await fixture.whenStable();
    expect(list()[0]).toEqual(expect.arrayContaining(['Every hour']));
    expect(list()[0].join(' ')).toContain('cooling down');
    expect(list()[0].join(' ')).toContain('armed again');
    http.verify();
  });

  it('asks before creating an alert the price already reaches, with the server\'s words, and sends it again only when confirmed', async () => {
    const { fixture, el, type, submit } = await open('BTC');
    await type('60000');
    await submit();
    const crossed = 'BTC already trades at $104,250.00, at or above $60,000.00: the alert would fire at once';
    http.expectOne((r) => r.method === 'POST').flush(...apiError(409, 'ALERT_ALREADY_CROSSED', crossed));
    await tick();
    await fixture.whenStable();
    const dialog = document.querySelector('mat-dialog-container')!;
    expect(dialog.textContent).toContain('This alert would fire at once');
    expect(dialog.textContent).toContain(crossed);
    // "Change it": nothing is sent, the form keeps what was typed.
    buttonByText(document.body, 'Change it').click();
    await dialogClosed();
    await fixture.whenStable();
    http.expectNone((r) => r.method === 'POST');
    expect(el.querySelector<HTMLInputElement>('input[name=targetPrice]')!.value).toBe('60000');

    await submit();
    http.expectOne((r) => r.method === 'POST').flush(...apiError(409, 'ALERT_ALREADY_CROSSED', crossed));
    await tick();
    await fixture.whenStable();
    buttonByText(document.body, 'Create and fire now').click();
    await dialogClosed();
    const again = http.expectOne((r) => r.method === 'POST');
    expect(again.request.body).toMatchObject({ symbol: 'BTC', condition: 'above', targetPrice: '60000', confirmCrossed: true });
    again.flush(alert('a9', { targetPrice: '60000' }));
    await tick();
    await fixture.whenStable();
    expect(el.querySelector('[role=alert]')).toBeNull();
    http.verify();
  });

  it('asks before re-arming an alert the price already reaches, and re-arms it when confirmed', async () => {
    const { fixture, list } = await open();
    buttonByName(fixture.nativeElement as HTMLElement, 'Re-arm ETH below $3,000.00 alert').click();
    http.expectOne('/api/alerts/a2').flush(...apiError(409, 'ALERT_ALREADY_CROSSED', 'ETH already trades at $2,900.00, at or below $3,000.00: the alert would fire at once'));
    await tick();
    await fixture.whenStable();
    buttonByText(document.body, 'Save and fire now').click();
    await dialogClosed();
    const rearm = http.expectOne('/api/alerts/a2');
    expect(rearm.request.body).toEqual({ active: true, confirmCrossed: true });
    rearm.flush({ ...fired, active: true });
    await tick();
    await fixture.whenStable();
    expect(list()[1]).toContain('armed');
    http.verify();
  });
});
