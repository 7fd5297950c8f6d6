import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// The server's own verifier and worked example: the client reuses none of it, the test holds it to it.
import { API_KEY_WORKED_EXAMPLE, API_KEY_WORKED_EXAMPLE_GET } from '../../../backend/src/auth/api-keys/api-key-example';
import { parseApiKeyHeaders, verifyRequestSignature } from '../../../backend/src/auth/api-keys/api-key-signature';
import { createClient, type CryptoVaultClient } from './client';
import { CryptoVaultApiError, isApiError } from './errors';
import { canonicalRequest, signRequest } from './signing';

interface Arrived {
  method: string;
  target: string;
  body: string;
  headers: IncomingMessage['headers'];
  verified: boolean;
}

/**
 * A local HTTP server that checks every request the way CryptoVault does (backend/src/auth/api-keys): the four
 * CV-API-* headers parsed by the server's parser and the signature verified by the server's verifier over the request
 * target and body bytes as they arrived. A verified request answers `answer(arrived)`; any other 401 API_KEY_INVALID.
 */
async function verifyingServer(publicKey: KeyObject, answer: (a: Arrived) => { status: number; body: string; headers?: Record<string, string> }) {
  const arrived: Arrived[] = [];
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const headers = parseApiKeyHeaders(req.headers);
      const verified =
        !('invalid' in headers) &&
        verifyRequestSignature(
          raw,
          { timestamp: headers.timestamp, nonce: headers.nonce, method: req.method!, pathWithQuery: req.url!, body: bytes },
          headers.signature,
        );
      const a = { method: req.method!, target: req.url!, body: bytes.toString('utf8'), headers: req.headers, verified };
      arrived.push(a);
      const reply = verified
        ? answer(a)
        : { status: 401, body: JSON.stringify({ statusCode: 401, error: { code: 'API_KEY_INVALID', message: 'bad signature' }, requestId: 'r-401' }) };
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, arrived, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const KEY_ID = '6f1c2a4e-8b3d-4e5f-9a0b-1c2d3e4f5a6b';
const ok = () => ({ status: 200, body: '{"ok":true}' });

describe('@cryptovault/client signing', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  let server: Awaited<ReturnType<typeof verifyingServer>>;
  let reply: (a: Arrived) => { status: number; body: string; headers?: Record<string, string> } = ok;
  let client: CryptoVaultClient;

  beforeAll(async () => {
    server = await verifyingServer(publicKey, (a) => reply(a));
    client = createClient({ baseUrl: server.url, keyId: KEY_ID, privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.arrived.length = 0;
    reply = ok;
  });

  it("signs a JSON body, with its Idempotency-Key, so that the server's verifier accepts exactly what was sent", async () => {
    await client.post('/api/orders', { body: { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '25.00' }, idempotencyKey: 'dca:BTC:2026-01-01' });
    const [a] = server.arrived;
    expect(a).toMatchObject({
      method: 'POST',
      target: '/api/orders',
      verified: true,
      body: '{"symbol":"BTC","side":"buy","type":"market","quoteAmount":"25.00"}',
    });
    expect(a.headers).toMatchObject({ 'cv-api-key': KEY_ID, 'content-type': 'application/json', 'idempotency-key': 'dca:BTC:2026-01-01' });
    expect(Number(a.headers['cv-api-timestamp'])).toBeGreaterThan(Date.UTC(2025, 0, 1));
  });

  it('signs the request target as it goes on the wire: path parameters and a query that need percent-encoding', async () => {
    await client.get('/api/orders', { query: { limit: 5, status: 'open', symbol: 'BTC', cursor: 'a b/c+d=é&x' } });
    await client.get('/api/orders/{id}', { path: { id: 'x/y z' } });
    await client.delete('/api/alerts/{id}', { path: { id: 'f6b1' } });
    expect(server.arrived.map((a) => [a.method, a.target, a.verified])).toEqual([
      ['GET', '/api/orders?limit=5&status=open&symbol=BTC&cursor=a+b%2Fc%2Bd%3D%C3%A9%26x', true],
      ['GET', '/api/orders/x%2Fy%20z', true],
      ['DELETE', '/api/alerts/f6b1', true],
    ]);
    // No body: nothing sent, the empty string hashed (the server verified that), no Content-Type.
    expect(server.arrived.map((a) => [a.body, a.headers['content-type']])).toEqual([
      ['', undefined],
      ['', undefined],
      ['', undefined],
    ]);
  });

  it('uses a new nonce every time, so the same call twice is two requests the server accepts', async () => {
    await client.get('/api/wallet/balance');
    await client.get('/api/wallet/balance');
    const nonces = server.arrived.map((a) => a.headers['cv-api-nonce']);
    expect(server.arrived.every((a) => a.verified)).toBe(true);
    expect(new Set(nonces).size).toBe(2);
    expect(nonces.every((n) => /^[A-Za-z0-9_-]{16,64}$/.test(String(n)))).toBe(true);
  });

  it('signs under a base URL with a path prefix (behind a proxy) the path it sends', async () => {
    const prefixed = createClient({ baseUrl: `${server.url}/cv/`, keyId: KEY_ID, privateKey });
    await prefixed.get('/api/portfolio');
    expect(server.arrived.map((a) => [a.target, a.verified])).toEqual([['/cv/api/portfolio', true]]);
  });

  it('is refused by the verifier when signed with another key', async () => {
    const stranger = createClient({ baseUrl: server.url, keyId: KEY_ID, privateKey: generateKeyPairSync('ed25519').privateKey });
    const refused = await stranger.get('/api/wallet/balance').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CryptoVaultApiError);
    expect(refused).toMatchObject({ status: 401, code: 'API_KEY_INVALID', requestId: 'r-401' });
    expect(server.arrived.map((a) => a.verified)).toEqual([false]);
  });

  it("throws the API's error shape, typed, for a non-2xx answer", async () => {
    reply = () => ({
      status: 422,
      body: JSON.stringify({
        statusCode: 422,
        error: { code: 'INSUFFICIENT_FUNDS', message: 'Not enough USD', details: [{ field: 'quoteAmount', message: 'more than available' }] },
        requestId: 'r-422',
      }),
    });
    const refused = await client.post('/api/orders', { body: { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '5000' } }).catch((e: unknown) => e);
    expect(isApiError(refused, 'INSUFFICIENT_FUNDS')).toBe(true);
    expect(refused).toMatchObject({
      name: 'CryptoVaultApiError',
      status: 422,
      code: 'INSUFFICIENT_FUNDS',
      message: 'Not enough USD',
      details: [{ field: 'quoteAmount', message: 'more than available' }],
      requestId: 'r-422',
    });

    reply = () => ({
      status: 429,
      body: JSON.stringify({ statusCode: 429, error: { code: 'RATE_LIMITED', message: 'Too many requests' }, requestId: 'r-429' }),
      headers: { 'Retry-After': '7' },
    });
    expect(await client.get('/api/orders').catch((e: unknown) => e)).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 7 });

    reply = () => ({ status: 502, body: '<html>Bad Gateway</html>', headers: { 'Content-Type': 'text/html' } });
    expect(await client.get('/api/orders').catch((e: unknown) => e)).toMatchObject({
      status: 502,
      code: 'UNEXPECTED_RESPONSE',
      message: expect.stringContaining('Bad Gateway'),
    });
  });

  it('answers the parsed JSON of a 2xx, the text of a CSV export, and nothing for a 204', async () => {
    reply = (a) =>
      a.target.startsWith('/api/transactions/export.csv')
        ? { status: 200, body: 'id,asset\n1,BTC\n', headers: { 'Content-Type': 'text/csv' } }
        : { status: 204, body: '' };
    expect(await client.get('/api/transactions/export.csv', { query: { asset: 'BTC' } })).toBe('id,asset\n1,BTC\n');
    expect(await client.delete('/api/alerts/{id}', { path: { id: 'f6b1' } })).toBeUndefined();
    reply = () => ({ status: 200, body: '{"wallet":{"balances":[{"asset":"USD","available":"10.00"}]}}' });
    expect(await client.get('/api/wallet/balance')).toEqual({ wallet: { balances: [{ asset: 'USD', available: '10.00' }] } });
  });

  it('takes the private key as a KeyObject, a PKCS#8 PEM or DER, and refuses any key that is not Ed25519', () => {
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    for (const key of [privateKey, der, new Uint8Array(der)]) expect(() => createClient({ baseUrl: server.url, keyId: KEY_ID, privateKey: key })).not.toThrow();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => createClient({ baseUrl: server.url, keyId: KEY_ID, privateKey: rsa })).toThrow('Ed25519');
    expect(() => createClient({ baseUrl: server.url, keyId: KEY_ID, privateKey: publicKey })).toThrow('Ed25519');
    expect(() => createClient({ baseUrl: server.url, keyId: KEY_ID, privateKey: 'not a key' })).toThrow(TypeError);
    expect(() => createClient({ baseUrl: 'ftp://example.com', keyId: KEY_ID, privateKey })).toThrow('http(s)');
  });

  it('reproduces the worked example of docs/API.md byte for byte', () => {
    const e = API_KEY_WORKED_EXAMPLE;
    const key = createPrivateKey(e.privateKeyPem);
    expect(canonicalRequest(e.timestamp, e.nonce, e.method, e.pathWithQuery, e.body)).toBe(e.canonical);
    expect(signRequest(e.keyId, key, { method: 'POST', pathWithQuery: e.pathWithQuery, body: e.body, timestamp: Number(e.timestamp), nonce: e.nonce })).toEqual(
      {
        'CV-API-KEY': e.keyId,
        'CV-API-TIMESTAMP': e.timestamp,
        'CV-API-NONCE': e.nonce,
        'CV-API-SIGNATURE': e.signature,
      },
    );
    const get = API_KEY_WORKED_EXAMPLE_GET;
    expect(
      signRequest(e.keyId, key, { method: 'get', pathWithQuery: get.pathWithQuery, timestamp: Number(get.timestamp), nonce: get.nonce })['CV-API-SIGNATURE'],
    ).toBe(get.signature);
  });
});

/**
 * Compile-time checks, run by `npm run typecheck` (never called): each call is typed by its operation in openapi.json.
 * Every `@ts-expect-error` line must fail to compile, or the typecheck fails.
 */
async function typedPerOperation(client: CryptoVaultClient): Promise<void> {
  const placed = await client.post('/api/orders', { body: { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '25' }, idempotencyKey: 'k1' });
  const status: 'open' | 'filled' | 'cancelled' | 'rejected' = placed.order.status;
  const fee: string | null = placed.order.fee;
  const page = await client.get('/api/orders', { query: { status: 'open', limit: 5 } });
  const ids: string[] = page.items.map((o) => o.id);
  const csv: string = await client.get('/api/transactions/export.csv');
  void [status, fee, ids, csv];
  // @ts-expect-error the answer is typed, not any: an order has no price field (filledPrice, limitPrice)
  void placed.order.price;
  // @ts-expect-error a CSV export answers text
  void csv.items;
  // @ts-expect-error a route an API key may not call is not on the client
  await client.get('/api/auth/me');
  // @ts-expect-error placing an order needs its body
  await client.post('/api/orders');
  // @ts-expect-error the body is the operation's: side is buy or sell
  await client.post('/api/orders', { body: { symbol: 'BTC', side: 'hold', type: 'market', quantity: '1' } });
  // @ts-expect-error amounts are decimal strings, never numbers
  await client.post('/api/orders', { body: { symbol: 'BTC', side: 'buy', type: 'market', quantity: 1 } });
  // @ts-expect-error a path parameter is required
  await client.get('/api/orders/{id}');
  // @ts-expect-error only operations that take an Idempotency-Key have one
  await client.delete('/api/orders/{id}', { path: { id: 'x' }, idempotencyKey: 'k' });
  // @ts-expect-error a query the operation does not have
  await client.get('/api/wallet/balance', { query: { asset: 'BTC' } });
}
void typedPerOperation;
