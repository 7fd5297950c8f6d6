import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { API_KEY_WORKED_EXAMPLE, API_KEY_WORKED_EXAMPLE_GET, apiKeySchemeDescription } from './api-key-example';
import { bodySha256, canonicalString, EMPTY_BODY_SHA256, parseApiKeyHeaders, parseEd25519PublicKey, verifyRequestSignature } from './api-key-signature';
import { ipAllowed, parseCidr } from './ip-allowlist';

const e = API_KEY_WORKED_EXAMPLE;

describe('API key request signatures', () => {
  it('builds the documented canonical string and reproduces the worked example signature byte for byte', () => {
    expect(bodySha256(e.body)).toBe(e.bodySha256);
    expect(canonicalString(e)).toBe(e.canonical);
    const privateKey = createPrivateKey(e.privateKeyPem);
    const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(12);
    expect(publicKey.toString('base64')).toBe(e.publicKey);
    // Ed25519 is deterministic: the same key and message always give the same signature.
    expect(sign(null, Buffer.from(e.canonical, 'utf8'), privateKey).toString('base64')).toBe(e.signature);
    const get = API_KEY_WORKED_EXAMPLE_GET;
    expect(sign(null, Buffer.from(canonicalString(get), 'utf8'), privateKey).toString('base64')).toBe(get.signature);
    expect(apiKeySchemeDescription()).toContain(e.signature);
  });

  it('hashes the empty body for requests without one', () => {
    expect(EMPTY_BODY_SHA256).toBe(createHash('sha256').update('').digest('hex'));
    expect(bodySha256(undefined)).toBe(EMPTY_BODY_SHA256);
    expect(bodySha256(Buffer.alloc(0))).toBe(EMPTY_BODY_SHA256);
  });

  it('verifies the example and refuses any change to the method, path, query, body, timestamp or nonce', () => {
    const key = parseEd25519PublicKey(e.publicKey) as Buffer;
    const sig = Buffer.from(e.signature, 'base64');
    expect(verifyRequestSignature(key, e, sig)).toBe(true);
    for (const changed of [
      { method: 'PUT' },
      { pathWithQuery: '/api/orders?x=1' },
      { pathWithQuery: '/API/orders' },
      { body: e.body.replace('25.00', '2500') },
      { body: '' },
      { timestamp: '1767225600001' },
      { nonce: 'n0nce-2026-01-01-0009' },
    ]) {
      expect({ changed, ok: verifyRequestSignature(key, { ...e, ...changed }, sig) }).toEqual({ changed, ok: false });
    }
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    expect(verifyRequestSignature(other, e, sig)).toBe(false);
  });

  it('takes the public key as base64, base64url or an SPKI PEM, and nothing else', () => {
    const raw = Buffer.from(e.publicKey, 'base64');
    expect(parseEd25519PublicKey(e.publicKey)).toEqual(raw);
    expect(parseEd25519PublicKey(raw.toString('base64url'))).toEqual(raw);
    const pem = createPublicKey(createPrivateKey(e.privateKeyPem)).export({ format: 'pem', type: 'spki' }) as string;
    expect(parseEd25519PublicKey(pem)).toEqual(raw);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'pem', type: 'spki' }) as string;
    expect(parseEd25519PublicKey(rsa)).toBeUndefined();
    expect(parseEd25519PublicKey('abc')).toBeUndefined();
    expect(parseEd25519PublicKey(Buffer.alloc(31).toString('base64'))).toBeUndefined();
  });

  it('names the first missing or malformed header', () => {
    const good = { 'cv-api-key': e.keyId, 'cv-api-timestamp': e.timestamp, 'cv-api-nonce': e.nonce, 'cv-api-signature': e.signature };
    expect(parseApiKeyHeaders(good)).toMatchObject({ keyId: e.keyId, timestampMs: 1767225600000, nonce: e.nonce });
    expect(parseApiKeyHeaders({ ...good, 'cv-api-key': 'nope' })).toEqual({ invalid: 'CV-API-KEY' });
    expect(parseApiKeyHeaders({ ...good, 'cv-api-timestamp': '2026-01-01T00:00:00Z' })).toEqual({ invalid: 'CV-API-TIMESTAMP' });
    expect(parseApiKeyHeaders({ ...good, 'cv-api-nonce': 'short' })).toEqual({ invalid: 'CV-API-NONCE' });
    expect(parseApiKeyHeaders({ ...good, 'cv-api-signature': 'c2ln' })).toEqual({ invalid: 'CV-API-SIGNATURE' });
  });
});

describe('API key IP allowlists', () => {
  it('matches IPv4 and IPv6 addresses and blocks, an IPv4 client seen as IPv4-mapped IPv6 too', () => {
    expect(parseCidr('203.0.113.7')?.text).toBe('203.0.113.7/32');
    expect(parseCidr('2001:DB8::/32')?.text).toBe('2001:db8::/32');
    for (const bad of ['203.0.113.0/33', '2001:db8::/129', 'example.com', '10.0.0.0/8/1', '1.2.3.4/x', '']) expect(parseCidr(bad)).toBeUndefined();
    const list = ['203.0.113.0/24', '2001:db8::/32', '127.0.0.1'];
    expect(ipAllowed(list, '203.0.113.200')).toBe(true);
    expect(ipAllowed(list, '::ffff:203.0.113.9')).toBe(true);
    expect(ipAllowed(list, '2001:db8:1::5')).toBe(true);
    expect(ipAllowed(list, '127.0.0.1')).toBe(true);
    expect(ipAllowed(list, '203.0.114.1')).toBe(false);
    expect(ipAllowed(list, '2001:db9::1')).toBe(false);
    expect(ipAllowed(list, undefined)).toBe(false);
    expect(ipAllowed([], '198.51.100.1')).toBe(true);
  });
});
