import { createHmac } from 'node:crypto';
// The server's own list and worked example (API.md "Webhooks"): the client copies neither, the test holds it to them.
import { WEBHOOK_EVENT_TYPES as SERVER_EVENT_TYPES } from '../../../backend/src/auth/api-keys/webhooks/webhook-events';
import { WEBHOOK_WORKED_EXAMPLE } from '../../../backend/src/auth/api-keys/webhooks/webhook-example';
import {
  WEBHOOK_HEADERS as SERVER_HEADERS,
  webhookSignatureHeader as serverSignatureHeader,
} from '../../../backend/src/auth/api-keys/webhooks/webhook-signature';
import { verifyWebhook, WEBHOOK_EVENT_TYPES, WEBHOOK_HEADERS, WebhookVerificationError, webhookSignatureHeader } from './webhooks';

const secret = 'whsec_4f9a1c0e7b2d48e6a3c5f1b9d7e2a6c4';
const body = JSON.stringify({
  id: '0f8e4f3a-6b1d-4c2e-9a7f-5d3c2b1a0e9f',
  type: 'order.filled',
  createdAt: '2026-01-01T00:00:00.000Z',
  data: { order: { id: 'a1', symbol: 'BTC', status: 'filled' } },
});
const t = 1767225600;
const now = t * 1000 + 20_000;

/** The header as the contract defines it, computed here independently: t=<seconds>,v1=hex(HMAC-SHA256(secret, "<t>.<body>")). */
function header(opts: { secret?: string; t?: number; body?: string } = {}): string {
  const ts = opts.t ?? t;
  return `t=${ts},v1=${createHmac('sha256', opts.secret ?? secret)
    .update(`${ts}.${opts.body ?? body}`)
    .digest('hex')}`;
}

function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof WebhookVerificationError) return e.reason;
    throw e;
  }
  return 'verified';
}

describe('verifyWebhook', () => {
  it('returns the event of a delivery signed with the secret over the raw body, as a string or as bytes', () => {
    const event = verifyWebhook({ secret, signatureHeader: header(), rawBody: body, now });
    expect(event).toEqual({
      id: '0f8e4f3a-6b1d-4c2e-9a7f-5d3c2b1a0e9f',
      type: 'order.filled',
      createdAt: '2026-01-01T00:00:00.000Z',
      data: { order: { id: 'a1', symbol: 'BTC', status: 'filled' } },
    });
    expect(verifyWebhook({ secret, signatureHeader: header(), rawBody: Buffer.from(body), now })).toEqual(event);
    expect(webhookSignatureHeader({ secret, rawBody: body, timestamp: t })).toBe(header());
  });

  it('refuses another secret, a changed body, a changed time and a missing or malformed header', () => {
    expect(failure(() => verifyWebhook({ secret: 'whsec_other', signatureHeader: header(), rawBody: body, now }))).toBe('SIGNATURE_MISMATCH');
    expect(failure(() => verifyWebhook({ secret, signatureHeader: header(), rawBody: body.replace('BTC', 'ETH'), now }))).toBe('SIGNATURE_MISMATCH');
    expect(failure(() => verifyWebhook({ secret, signatureHeader: header().replace(`t=${t}`, `t=${t + 1}`), rawBody: body, now }))).toBe('SIGNATURE_MISMATCH');
    // Re-serialised JSON is other bytes: verify the body as received, not JSON.stringify(JSON.parse(body)).
    expect(failure(() => verifyWebhook({ secret, signatureHeader: header(), rawBody: JSON.stringify(JSON.parse(body), null, 1), now }))).toBe(
      'SIGNATURE_MISMATCH',
    );
    expect(failure(() => verifyWebhook({ secret, signatureHeader: undefined, rawBody: body, now }))).toBe('MISSING_SIGNATURE');
    expect(failure(() => verifyWebhook({ secret, signatureHeader: '', rawBody: body, now }))).toBe('MISSING_SIGNATURE');
    for (const bad of [`v1=${'a'.repeat(64)}`, `t=${t}`, `t=soon,v1=${'a'.repeat(64)}`, 'garbage']) {
      expect({ bad, reason: failure(() => verifyWebhook({ secret, signatureHeader: bad, rawBody: body, now })) }).toEqual({
        bad,
        reason: 'MALFORMED_SIGNATURE',
      });
    }
    expect(failure(() => verifyWebhook({ secret, signatureHeader: `t=${t},v1=zz`, rawBody: body, now }))).toBe('SIGNATURE_MISMATCH');
  });

  it('refuses a delivery signed more than the tolerance ago or ahead (a replayed old delivery), 300 s by default', () => {
    const signed = header();
    expect(failure(() => verifyWebhook({ secret, signatureHeader: signed, rawBody: body, now: (t + 300) * 1000 }))).toBe('verified');
    expect(failure(() => verifyWebhook({ secret, signatureHeader: signed, rawBody: body, now: (t + 301) * 1000 }))).toBe('TIMESTAMP_OUT_OF_TOLERANCE');
    expect(failure(() => verifyWebhook({ secret, signatureHeader: signed, rawBody: body, now: (t - 301) * 1000 }))).toBe('TIMESTAMP_OUT_OF_TOLERANCE');
    expect(failure(() => verifyWebhook({ secret, signatureHeader: signed, rawBody: body, now: (t + 30) * 1000, toleranceSeconds: 10 }))).toBe(
      'TIMESTAMP_OUT_OF_TOLERANCE',
    );
  });

  it('accepts any of several v1 signatures (a secret being rolled), in any order, with spaces', () => {
    const old = header({ secret: 'whsec_old' }).split(',')[1];
    const current = header().split(',')[1];
    expect(failure(() => verifyWebhook({ secret, signatureHeader: `t=${t}, ${old}, ${current}`, rawBody: body, now }))).toBe('verified');
    expect(failure(() => verifyWebhook({ secret, signatureHeader: [`t=${t}`, current], rawBody: body, now }))).toBe('verified');
    expect(failure(() => verifyWebhook({ secret, signatureHeader: `t=${t},${old}`, rawBody: body, now }))).toBe('SIGNATURE_MISMATCH');
  });

  it('refuses a correctly signed body that is not an event', () => {
    for (const notAnEvent of [
      'not json',
      '[]',
      '{"id":"x","type":"order.filled","createdAt":"2026-01-01T00:00:00Z"}',
      '{"id":1,"type":"t","createdAt":"c","data":{}}',
    ]) {
      const signed = header({ body: notAnEvent });
      expect({ notAnEvent, reason: failure(() => verifyWebhook({ secret, signatureHeader: signed, rawBody: notAnEvent, now })) }).toEqual({
        notAnEvent,
        reason: 'MALFORMED_EVENT',
      });
    }
  });

  it("verifies what the server signs: API.md's worked example and a fresh signature by the server's signer", () => {
    const e = WEBHOOK_WORKED_EXAMPLE;
    const event = verifyWebhook({ secret: e.secret, signatureHeader: e.header, rawBody: e.body, now: e.timestamp * 1000 });
    expect(event.type).toBe('order.filled');
    if (event.type === 'order.filled') expect([event.data.symbol, event.data.status, event.data.fee]).toEqual(['BTC', 'filled', '0.05']);
    const fresh = serverSignatureHeader(secret, Math.floor(Date.now() / 1000), body);
    expect(verifyWebhook({ secret, signatureHeader: fresh, rawBody: body }).id).toBe('0f8e4f3a-6b1d-4c2e-9a7f-5d3c2b1a0e9f');
    expect(webhookSignatureHeader({ secret: e.secret, rawBody: e.body, timestamp: e.timestamp })).toBe(e.header);
    expect([...WEBHOOK_EVENT_TYPES]).toEqual([...SERVER_EVENT_TYPES]);
    expect({ eventId: WEBHOOK_HEADERS.eventId, signature: WEBHOOK_HEADERS.signature }).toEqual({
      eventId: SERVER_HEADERS.eventId,
      signature: SERVER_HEADERS.signature,
    });
  });

  it('needs a secret', () => {
    expect(() => verifyWebhook({ secret: '', signatureHeader: header(), rawBody: body, now })).toThrow(TypeError);
  });
});
