import { createHmac } from 'node:crypto';
import { WEBHOOK_WORKED_EXAMPLE } from './webhook-example';
import { newWebhookSecret, verifyWebhookSignature, webhookSignature, webhookSignatureHeader } from './webhook-signature';

const e = WEBHOOK_WORKED_EXAMPLE;

describe('webhook signatures', () => {
  it('reproduces the worked example of API.md byte for byte, as a receiver computes it with node:crypto', () => {
    const byHand = createHmac('sha256', e.secret).update(`${e.timestamp}.${e.body}`).digest('hex');
    expect(byHand).toBe(e.signature);
    expect(webhookSignature(e.secret, e.timestamp, e.body)).toBe(e.signature);
    expect(webhookSignatureHeader(e.secret, e.timestamp, e.body)).toBe(e.header);
    expect(Buffer.from(e.secret.slice('whsec_'.length), 'base64url')).toEqual(Buffer.from([...Array(32).keys()]));
  });

  it('verifies a fresh signature and refuses another secret, a changed body, a stale or future timestamp and a malformed header', () => {
    const now = e.timestamp + 10;
    expect(verifyWebhookSignature(e.header, e.body, e.secret, { nowSeconds: now })).toBe(true);
    expect(verifyWebhookSignature(e.header, e.body, newWebhookSecret(), { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(e.header, e.body.replace('"50.00"', '"5000.00"'), e.secret, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(e.header, e.body, e.secret, { nowSeconds: e.timestamp + 301 })).toBe(false);
    expect(verifyWebhookSignature(e.header, e.body, e.secret, { nowSeconds: e.timestamp - 301 })).toBe(false);
    expect(verifyWebhookSignature(`v1=${e.signature}`, e.body, e.secret, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(`t=${e.timestamp}`, e.body, e.secret, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(undefined, e.body, e.secret, { nowSeconds: now })).toBe(false);
    // The timestamp is signed: moving it to look fresh breaks the signature.
    expect(verifyWebhookSignature(`t=${now},v1=${e.signature}`, e.body, e.secret, { nowSeconds: now })).toBe(false);
    // Several v1 entries (e.g. while a secret is being rolled): one that matches is enough.
    expect(verifyWebhookSignature(`t=${e.timestamp},v1=${'0'.repeat(64)},v1=${e.signature}`, e.body, e.secret, { nowSeconds: now })).toBe(true);
  });

  it('makes secrets of whsec_ and 32 random bytes in base64url, never the same twice', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a.slice(6), 'base64url')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
