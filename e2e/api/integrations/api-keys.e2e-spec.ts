import type { KeyObject } from 'node:crypto';
import request from 'supertest';
import { generateApiKeyPair, signApiKeyRequest } from '../../support/api-key-signing';
import { type RunningApp, startApp } from '../../support/app';
import { createUser, stepUp, type TestUser } from '../../support/factories';
import { fund, waitForPrices } from '../../support/money';
import { useAppSuite } from '../../support/suite';
import { waitFor } from '../../support/wait';
import { createWithdrawer, TEST_ADDRESSES } from '../../support/withdrawer';

// RATE_LIMIT_SCALE 3: the default 60 requests a minute become 180 per key, so the suite can reach a key's limit.
const suite = useAppSuite({ RATE_LIMIT_SCALE: '3' });

interface Key {
  id: string;
  privateKey: KeyObject;
}

/** Creates a key for `user` through the API as its owner would: a step-up of the session, then POST /api/auth/api-keys. */
async function createKey(app: RunningApp, user: TestUser, body: { scopes: string[]; ipAllowlist?: string[]; name?: string }, backup = false): Promise<Key> {
  const pair = generateApiKeyPair();
  await stepUp(app, user, backup ? { secondFactor: 'backup' } : {});
  const res = await request(app.url)
    .post('/api/auth/api-keys')
    .set(user.auth)
    .send({ name: body.name ?? 'bot', publicKey: pair.publicKeyBase64, ...body });
  if (res.status !== 201) throw new Error(`creating a key: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.apiKey.id as string, privateKey: pair.privateKey };
}

/** A request signed with `key` (`body` sent exactly as signed). */
function signed(app: RunningApp, key: Key, method: 'GET' | 'POST' | 'DELETE', path: string, body?: object, opts: { timestamp?: number; nonce?: string } = {}) {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers = signApiKeyRequest(key.id, key.privateKey, { method, pathWithQuery: path, body: text, ...opts });
  const agent = request(app.url);
  const req = method === 'GET' ? agent.get(path) : method === 'POST' ? agent.post(path) : agent.delete(path);
  req.set(headers);
  if (text !== undefined) req.set('Content-Type', 'application/json').send(text);
  return req;
}

const marketBuy = { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '25.00' };

describe('scoped API keys (two instances on one database)', () => {
  let admin: TestUser;
  let alice: TestUser;
  let other: RunningApp;

  beforeAll(async () => {
    const { PORT: _port, APP_URL: _url, ...shared } = suite.app.env;
    [other, admin] = await Promise.all([startApp(shared), createUser(suite.app, suite.mail, { admin: true })]);
    alice = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, alice, 'USD', '1000');
    await waitForPrices(suite.app);
  });

  afterAll(async () => {
    await other?.stop();
  });

  it('lets a read key read but not trade (403), and a trade key trade', async () => {
    const read = await createKey(suite.app, alice, { scopes: ['read'] });
    const trade = await createKey(suite.app, alice, { scopes: ['trade'] });

    const orders = await signed(suite.app, read, 'GET', '/api/orders?limit=5').expect(200);
    expect(orders.body.items).toEqual([]);
    const refused = await signed(suite.app, read, 'POST', '/api/orders', marketBuy).expect(403);
    expect(refused.body.error.code).toBe('API_KEY_SCOPE_MISSING');
    expect(refused.body.error.message).toContain('trade scope');

    const placed = await signed(suite.app, trade, 'POST', '/api/orders', marketBuy).expect(201);
    expect(placed.body.order).toMatchObject({ symbol: 'BTC', side: 'buy', status: 'filled' });
    // The order is alice's: her session sees it.
    const mine = await request(suite.app.url).get('/api/orders').set(alice.auth).expect(200);
    expect(mine.body.items.map((o: { id: string }) => o.id)).toContain(placed.body.order.id);
    // read is its own scope: a trade-only key reads nothing.
    expect((await signed(suite.app, trade, 'GET', '/api/wallet/balance').expect(403)).body.error.code).toBe('API_KEY_SCOPE_MISSING');
  });

  it('refuses a bad signature, a tampered body, a stale timestamp, a replayed nonce and an address off the allowlist with 401', async () => {
    const key = await createKey(suite.app, alice, { scopes: ['read', 'trade'] });
    const stranger = { id: key.id, privateKey: generateApiKeyPair().privateKey };
    expect((await signed(suite.app, stranger, 'GET', '/api/wallet/balance').expect(401)).body.error.code).toBe('API_KEY_INVALID');

    // Signed for one body, sent with another.
    const headers = signApiKeyRequest(key.id, key.privateKey, { method: 'POST', pathWithQuery: '/api/orders', body: JSON.stringify(marketBuy) });
    const tampered = await request(suite.app.url)
      .post('/api/orders')
      .set(headers)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ...marketBuy, quoteAmount: '900.00' }))
      .expect(401);
    expect(tampered.body.error.code).toBe('API_KEY_INVALID');
    // Signed for one query, sent with another.
    const q = signApiKeyRequest(key.id, key.privateKey, { method: 'GET', pathWithQuery: '/api/orders?limit=1' });
    await request(suite.app.url).get('/api/orders?limit=50').set(q).expect(401);

    const stale = await signed(suite.app, key, 'GET', '/api/wallet/balance', undefined, { timestamp: Date.now() - 31_000 }).expect(401);
    expect(stale.body.error.code).toBe('REQUEST_EXPIRED');
    expect((await signed(suite.app, key, 'GET', '/api/wallet/balance', undefined, { timestamp: Date.now() + 31_000 }).expect(401)).body.error.code).toBe(
      'REQUEST_EXPIRED',
    );

    // The same signed request twice: once on each instance (the nonces are shared through Redis), then again.
    const once = signApiKeyRequest(key.id, key.privateKey, { method: 'GET', pathWithQuery: '/api/wallet/balance' });
    await request(suite.app.url).get('/api/wallet/balance').set(once).expect(200);
    expect((await request(other.url).get('/api/wallet/balance').set(once).expect(401)).body.error.code).toBe('NONCE_REUSED');
    expect((await request(suite.app.url).get('/api/wallet/balance').set(once).expect(401)).body.error).toMatchObject({
      code: 'NONCE_REUSED',
      message: 'This CV-API-NONCE was used before: send a new nonce with every request',
    });

    const elsewhere = await createKey(suite.app, alice, { scopes: ['read'], ipAllowlist: ['203.0.113.0/24', '2001:db8::/32'] });
    expect((await signed(suite.app, elsewhere, 'GET', '/api/wallet/balance').expect(401)).body.error.code).toBe('IP_NOT_ALLOWED');
    const here = await createKey(suite.app, alice, { scopes: ['read'], ipAllowlist: ['127.0.0.0/8', '::1'] });
    await signed(suite.app, here, 'GET', '/api/wallet/balance').expect(200);

    // Missing headers say which one.
    const bare = await request(suite.app.url).get('/api/wallet/balance').set('CV-API-KEY', key.id).expect(401);
    expect(bare.body.error).toMatchObject({ code: 'API_KEY_INVALID', message: expect.stringContaining('CV-API-TIMESTAMP') });

    // Refusals of a known key are audited for the owner (at most once a minute per key and reason).
    const audit = await request(suite.app.url).get(`/api/admin/audit-logs?userId=${alice.id}&action=auth.api_key_denied`).set(admin.auth).expect(200);
    const reasons = (audit.body.items as { details: { keyId: string; reason: string } }[]).map(
      (e) => `${e.details.keyId === elsewhere.id ? 'elsewhere' : 'key'}:${e.details.reason}`,
    );
    expect(new Set(reasons)).toEqual(new Set(['key:bad_signature', 'key:stale_timestamp', 'key:nonce_reused', 'elsewhere:ip_not_allowed']));
  });

  it('refuses the first request after the revoke answer on the other instance, and shows the last use', async () => {
    const key = await createKey(suite.app, alice, { scopes: ['read'], name: 'revoke me' });
    await signed(other, key, 'GET', '/api/portfolio').expect(200);
    await signed(other, key, 'GET', '/api/transactions').expect(200);
    const listed = await waitFor(
      async () => {
        const res = await request(suite.app.url).get('/api/auth/api-keys').set(alice.auth).expect(200);
        const row = (res.body.items as { id: string; lastUsedAt: string | null }[]).find((k) => k.id === key.id);
        return row?.lastUsedAt ? row : undefined;
      },
      10_000,
      'the last use of the key',
    );
    expect(listed).toMatchObject({ name: 'revoke me', scopes: ['read'], status: 'active', lastUsedIp: expect.stringContaining('127.0.0.1') });
    expect(Object.keys(listed)).not.toEqual(expect.arrayContaining(['secret', 'privateKey']));

    const revoked = await request(suite.app.url).delete(`/api/auth/api-keys/${key.id}`).set(alice.auth).expect(200);
    expect(revoked.body.apiKey).toMatchObject({ id: key.id, status: 'revoked' });
    const refused = await signed(other, key, 'GET', '/api/portfolio').expect(401);
    expect(refused.body.error.code).toBe('API_KEY_REVOKED');
    await signed(suite.app, key, 'GET', '/api/portfolio').expect(401);

    // Another user's key is not found; audited.
    const bob = await createUser(suite.app, suite.mail);
    await request(suite.app.url).delete(`/api/auth/api-keys/${key.id}`).set(bob.auth).expect(404);
    const audit = await request(suite.app.url).get(`/api/admin/audit-logs?userId=${alice.id}&action=auth.api_key_revoked`).set(admin.auth).expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ details: expect.objectContaining({ keyId: key.id }) })]);
  });

  it('withdraws with a withdraw key only to confirmed address-book entries, and only with an IP allowlist', async () => {
    const w = await createWithdrawer(suite.app, suite.mail, { asset: 'BTC' });
    await fund(suite.app, admin, w, 'BTC', '0.01');
    // An address added but never confirmed by its emailed link.
    await stepUp(suite.app, w, { secondFactor: 'backup' });
    const added = await request(suite.app.url)
      .post('/api/wallet/addresses')
      .set(w.auth)
      .send({ label: 'not confirmed', asset: 'ETH', address: TEST_ADDRESSES.ETH })
      .expect(201);

    await stepUp(suite.app, w, { secondFactor: 'backup' });
    const noAllowlist = await request(suite.app.url)
      .post('/api/auth/api-keys')
      .set(w.auth)
      .send({ name: 'payouts', scopes: ['withdraw'], publicKey: generateApiKeyPair().publicKeyBase64 })
      .expect(400);
    expect(noAllowlist.body.error.details).toEqual([{ field: 'ipAllowlist', message: expect.stringContaining('needs an IP allowlist') }]);
    // An "allowlist" of the whole internet is none: a withdraw key names servers (at most a /24 or a /48 per entry).
    for (const wide of ['0.0.0.0/0', '::/0', '203.0.113.0/16']) {
      const tooWide = await request(suite.app.url)
        .post('/api/auth/api-keys')
        .set(w.auth)
        .send({ name: 'payouts', scopes: ['withdraw'], ipAllowlist: ['127.0.0.1', wide], publicKey: generateApiKeyPair().publicKeyBase64 })
        .expect(400);
      expect(tooWide.body.error.details).toEqual([{ field: 'ipAllowlist', message: expect.stringContaining('at most a /24 (IPv4) or /48 (IPv6)') }]);
    }

    const key = await createKey(suite.app, w, { scopes: ['withdraw'], ipAllowlist: ['127.0.0.1', '::1'] }, true);
    const unconfirmed = await signed(suite.app, key, 'POST', '/api/wallet/withdraw', { asset: 'ETH', amount: '0.01', addressId: added.body.address.id }).expect(
      422,
    );
    expect(unconfirmed.body.error.code).toBe('ADDRESS_NOT_CONFIRMED');

    const sent = await signed(suite.app, key, 'POST', '/api/wallet/withdraw', { asset: 'BTC', amount: '0.001', addressId: w.addressId }).expect(201);
    expect(sent.body.withdrawal).toMatchObject({ asset: 'BTC', amount: expect.stringMatching(/^0\.001(0*)$/), addressId: w.addressId, status: 'pending' });

    const trade = await createKey(suite.app, w, { scopes: ['read', 'trade'] }, true);
    const refused = await signed(suite.app, trade, 'POST', '/api/wallet/withdraw', { asset: 'BTC', amount: '0.001', addressId: w.addressId }).expect(403);
    expect(refused.body.error.code).toBe('API_KEY_SCOPE_MISSING');
  });

  it('refuses API keys on routes without a scope (default deny), so a key cannot manage keys; creating one needs a step-up', async () => {
    const key = await createKey(suite.app, alice, { scopes: ['read', 'trade'] });
    for (const [method, path, body] of [
      ['GET', '/api/auth/me', undefined],
      ['GET', '/api/auth/api-keys', undefined],
      ['POST', '/api/auth/api-keys', { name: 'x', scopes: ['read'], publicKey: generateApiKeyPair().publicKeyBase64 }],
      ['DELETE', `/api/auth/api-keys/${key.id}`, undefined],
      ['POST', '/api/auth/logout-all', undefined],
      ['GET', '/api/account/closure', undefined],
      ['POST', '/api/portfolio/holding', { symbol: 'BTC', amount: '1' }],
    ] as const) {
      const res = await signed(suite.app, key, method, path, body);
      expect({ method, path, status: res.status, code: res.body.error?.code }).toEqual({ method, path, status: 403, code: 'API_KEY_NOT_ALLOWED' });
    }
    // The key still works: nothing above revoked it.
    await signed(suite.app, key, 'GET', '/api/orders').expect(200);

    const fresh = await createUser(suite.app, suite.mail);
    const noStepUp = await request(suite.app.url)
      .post('/api/auth/api-keys')
      .set(fresh.auth)
      .send({ name: 'x', scopes: ['read'], publicKey: generateApiKeyPair().publicKeyBase64 })
      .expect(401);
    expect(noStepUp.body.error.code).toBe('STEP_UP_REQUIRED');
    const created = await request(suite.app.url).get(`/api/admin/audit-logs?userId=${alice.id}&action=auth.api_key_created`).set(admin.auth).expect(200);
    expect(created.body.items.length).toBeGreaterThanOrEqual(5);
  });

  it('rate-limits each key on its own: a busy key gets 429, its owner and other keys do not', async () => {
    const busy = await createKey(suite.app, alice, { scopes: ['read'] });
    const calm = await createKey(suite.app, alice, { scopes: ['read'] });
    let limited: request.Response | undefined;
    for (let round = 0; round < 20 && !limited; round++) {
      const answers = await Promise.all(Array.from({ length: 20 }, () => signed(suite.app, busy, 'GET', '/api/wallet/balance')));
      expect(answers.filter((r) => r.status !== 200 && r.status !== 429).map((r) => r.status)).toEqual([]);
      limited = answers.find((r) => r.status === 429);
    }
    expect(limited?.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    await signed(suite.app, calm, 'GET', '/api/wallet/balance').expect(200);
    await request(suite.app.url).get('/api/wallet/balance').set(alice.auth).expect(200);
  });
});
