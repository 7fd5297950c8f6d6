import { TestBed } from '@angular/core/testing';
import { apiError, click, settle, setUpApp, submit, typeInto } from '../../../../testing/ui';
import { WebhooksPanel } from './webhooks-panel';

const KEY = 'k1';
const endpoint = {
  id: 'w1',
  keyId: KEY,
  url: 'https://bot.example.com/hooks',
  events: ['order.filled', 'alert.triggered'],
  createdAt: '2026-12-01T09:00:00Z',
};
const attempt = (n: number, statusCode: number | null, extra: Record<string, unknown> = {}) => ({
  eventId: 'e-1',
  type: 'order.filled',
  attempt: n,
  attemptedAt: `2026-12-01T10:0${n}:00Z`,
  statusCode,
  error: null,
  responseSnippet: null,
  durationMs: 12,
  nextRetryAt: null,
  deliveryStatus: 'delivered',
  ...extra,
});

async function open(active = true) {
  const http = await setUpApp({ user: {} });
  const fixture = TestBed.createComponent(WebhooksPanel);
  fixture.componentRef.setInput('keyId', KEY);
  fixture.componentRef.setInput('active', active);
  await settle(fixture);
  return { http, fixture, el: fixture.nativeElement as HTMLElement };
}

const text = (el: Element) => el.textContent!.replace(/\s+/g, ' ').trim();

describe('WebhooksPanel', () => {
  it('adds an endpoint with the chosen events and shows its secret once, with a copy button', async () => {
    const { http, fixture, el } = await open();
    http.expectOne(`/api/api-keys/${KEY}/webhooks`).flush({ items: [], max: 5 });
    await settle(fixture);
    expect(text(el.querySelector('[data-testid=webhooks-empty]')!)).toBe('No webhooks yet.');

    await typeInto(fixture, 'input[name=webhookUrl]', 'https://bot.example.com/hooks');
    // All five are chosen to begin with; leave out deposits.
    const deposit = el.querySelector<HTMLInputElement>('input[name="event-deposit.credited"]')!;
    deposit.click();
    await settle(fixture);
    await submit(fixture);
    const req = http.expectOne(`/api/api-keys/${KEY}/webhooks`);
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ url: 'https://bot.example.com/hooks', events: ['order.filled', 'order.cancelled', 'withdrawal.updated', 'alert.triggered'] });
    req.flush({ ...endpoint, secret: 'whsec_secret-shown-once' });
    await settle(fixture);
    http.expectOne(`/api/api-keys/${KEY}/webhooks`).flush({ items: [endpoint], max: 5 });
    await settle(fixture);

    expect(text(el.querySelector('[data-testid=webhook-secret]')!)).toContain('whsec_secret-shown-once');
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await click(fixture, 'Copy secret');
    expect(writeText).toHaveBeenCalledWith('whsec_secret-shown-once');
    await click(fixture, 'I have saved it');
    expect(el.querySelector('[data-testid=webhook-secret]')).toBeNull();
    expect(text(el.querySelector('[data-testid=webhook-item]')!)).toContain('Sends: Order filled, Alert triggered');
    http.verify();
  });

  it('shows the API refusal of a private address on the URL field', async () => {
    const { http, fixture, el } = await open();
    http.expectOne(`/api/api-keys/${KEY}/webhooks`).flush({ items: [], max: 5 });
    await settle(fixture);
    await typeInto(fixture, 'input[name=webhookUrl]', 'http://10.0.0.8/hooks');
    await submit(fixture);
    const message = 'Webhooks go only to public addresses, and 10.0.0.8 is a private, loopback, link-local or reserved one';
    http.expectOne(`/api/api-keys/${KEY}/webhooks`).flush(...apiError(422, 'WEBHOOK_URL_NOT_ALLOWED', message, [{ field: 'url', message }]));
    await settle(fixture);
    expect(el.textContent).toContain(message);
    http.verify();
  });

  it('shows the delivery log with each attempt’s status or error, and redelivers an event', async () => {
    const { http, fixture, el } = await open();
    http.expectOne(`/api/api-keys/${KEY}/webhooks`).flush({ items: [endpoint], max: 5 });
    await settle(fixture);
    await click(fixture, 'Deliveries');
    http.expectOne(`/api/api-keys/${KEY}/webhooks/w1/deliveries?limit=50`).flush({
      items: [
        attempt(3, 200),
        attempt(2, 302, { deliveryStatus: 'delivered' }),
        attempt(1, null, { error: 'timeout', nextRetryAt: '2026-12-01T10:02:00Z' }),
        attempt(1, 500, { eventId: 'e-2', type: 'alert.triggered', deliveryStatus: 'pending', nextRetryAt: '2026-12-01T10:05:00Z' }),
      ],
      nextCursor: null,
    });
    await settle(fixture);
    const rows = [...el.querySelectorAll('[data-testid=webhook-delivery]')].map(text);
    expect(rows[0]).toContain('Order filled');
    expect(rows[0]).toContain('HTTP 200');
    expect(rows[0]).toContain('Attempt 3');
    expect(rows[1]).toContain('HTTP 302 (redirects are not followed)');
    expect(rows[2]).toContain('No answer within 10 seconds');
    expect(rows[3]).toContain('Alert triggered');
    expect(rows[3]).toContain('will be retried');
    expect(rows[3]).toContain('Next try');
    // One Redeliver button per event, on its newest attempt.
    const redeliver = [...el.querySelectorAll<HTMLButtonElement>('[data-testid=webhook-delivery] button')];
    expect(redeliver.map((b) => b.getAttribute('aria-label'))).toEqual(['Redeliver event e-1', 'Redeliver event e-2']);
    redeliver[0].click();
    await settle(fixture);
    http.expectOne({ method: 'POST', url: `/api/api-keys/${KEY}/webhooks/w1/deliveries/e-1/redeliver` }).flush({ eventId: 'e-1', status: 'pending' });
    await settle(fixture);
    expect(el.textContent).toContain('the event is sent again in a moment');
    http.verify();
  });

  it('shows older attempts a page at a time, below the newest, until the oldest is shown', async () => {
    const { http, fixture, el } = await open();
    http.expectOne(`/api/api-keys/${KEY}/webhooks`).flush({ items: [endpoint], max: 5 });
    await settle(fixture);
    await click(fixture, 'Deliveries');
    http
      .expectOne(`/api/api-keys/${KEY}/webhooks/w1/deliveries?limit=50`)
      .flush({ items: [attempt(3, 200), attempt(2, 500, { deliveryStatus: 'pending' })], nextCursor: 'page-2' });
    await settle(fixture);
    await click(fixture, 'Show older attempts');
    http
      .expectOne(`/api/api-keys/${KEY}/webhooks/w1/deliveries?limit=50&cursor=page-2`)
      .flush({ items: [attempt(1, 500, { eventId: 'e-0', type: 'alert.triggered', deliveryStatus: 'failed' })], nextCursor: null });
    await settle(fixture);
    const rows = [...el.querySelectorAll('[data-testid=webhook-delivery]')].map(text);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('Attempt 3');
    expect(rows[2]).toContain('Alert triggered');
    // The oldest is shown: nothing older to ask for.
    expect([...el.querySelectorAll('button')].map(text)).not.toContain('Show older attempts');
    // Still one Redeliver button per event, on its newest attempt.
    expect([...el.querySelectorAll('[data-testid=webhook-delivery] button')].map((b) => b.getAttribute('aria-label'))).toEqual([
      'Redeliver event e-1',
      'Redeliver event e-0',
    ]);
    http.verify();
  });

  it('deletes an endpoint after asking, and offers no new endpoint on a revoked key', async () => {
    const { http, fixture, el } = await open(false);
    http.expectOne(`/api/api-keys/${KEY}/webhooks`).flush({ items: [endpoint], max: 5 });
    await settle(fixture);
    expect(el.querySelector('form')).toBeNull();
    await click(fixture, 'Delete');
    await click(fixture, 'Delete');
    http.expectOne({ method: 'DELETE', url: `/api/api-keys/${KEY}/webhooks/w1` }).flush(endpoint);
    await settle(fixture);
    http.expectOne(`/api/api-keys/${KEY}/webhooks`).flush({ items: [], max: 5 });
    await settle(fixture);
    expect(el.textContent).toContain('Webhook deleted.');
    expect(el.textContent).toContain('No webhooks yet.');
    http.verify();
  });
});
