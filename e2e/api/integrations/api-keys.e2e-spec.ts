import { createPrivateKey, createPublicKey, type KeyObject, randomUUID } from 'node:crypto';
import request from 'supertest';
import { API_KEY_WORKED_EXAMPLE } from '../../../backend/src/auth/api-keys/api-key-example';
import { generateApiKeyPair, signApiKeyRequest } from '../../support/api-key-signing';
import { type RunningApp, startApp } from '../../support/app';
import { createUser, stepUp, type TestUser } from '../../support/factories';
import { fund, waitForPrices } from '../../support/money';
import { useAppSuite } from '../../support/suite';
import { waitFor } from '../../support/wait';
import { createWithdrawer, TEST_ADDRESSES } from '../../support/withdrawer';

// RATE_LIMIT_SCALE 3: the default 60 requests a minute become 180 per key, so the suite can reach a key's limit.
// TRUST_PROXY: tests that exhaust a client address's budget pick their own with X-Forwarded-For.
const suite = useAppSuite({ RATE_LIMIT_SCALE: '3', TRUST_PROXY: 'loopback' });

interface Key {
  id: string;
  privateKey: KeyObject;
}

/**
 * Creates a key for `user` through the API as its owner would: a step-up of the session, then POST /api/auth/api-keys
 * (with one of the user's backup codes as the fresh second factor a key that can withdraw needs).
 */
async function createKey(app: RunningApp, user: TestUser, body: { scopes: string[]; ipAllowlist?: string[]; name?: string }, backup = false): Promise<Key> {
  const pair = generateApiKeyPair();
  await stepUp(app, user, backup ? { secondFactor: 'backup' } : {});
  const code = body.scopes.includes('withdraw') ? user.backupCodes?.pop() : undefined;
  const res = await request(app.url)
    .post('/api/auth/api-keys')
    .set(user.auth)
    .send({ name: body.name ?? 'bot', publicKey: pair.publicKeyBase64, ...body, ...(code ? { twoFactorCode: code } : {}) });
  if (res.status !== 201) throw new Error(`creating a key: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.apiKey.id as string, privateKey: pair.privateKey };
}

/** A request signed with `key` (`body` sent exactly as signed); `from`: the client address (X-Forwarded-For). */
function signed(
  app: RunningApp,
  key: Key,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: object,
  opts: { timestamp?: number; nonce?: string; from?: string } = {},
) {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const { from, ...signing } = opts;
  const headers = signApiKeyRequest(key.id, key.privateKey, { method, pathWithQuery: path, body: text, ...signing });
  const agent = request(app.url);
  const req = method === 'GET' ? agent.get(path) : method === 'POST' ? agent.post(path) : agent.delete(path);
  req.set(headers);
  if (from) req.set('X-Forwarded-For', from);
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

  it("caps all of one user's keys together: two keys that each stay under their own limit get 429 at the user's ceiling", async () => {
    // RATE_LIMIT_SCALE 3: 180 requests a minute per key, 300 for all of a user's keys together.
    const bob = await createUser(suite.app, suite.mail);
    const first = await createKey(suite.app, bob, { scopes: ['read'], name: 'first' });
    const second = await createKey(suite.app, bob, { scopes: ['read'], name: 'second' });
    const burst = async (key: Key, n: number): Promise<number[]> => {
      const statuses: number[] = [];
      for (let sent = 0; sent < n; sent += 20) {
        const answers = await Promise.all(Array.from({ length: Math.min(20, n - sent) }, () => signed(suite.app, key, 'GET', '/api/wallet/balance')));
        statuses.push(...answers.map((r) => r.status));
      }
      return statuses;
    };
    // The first key stays under its own 180.
    expect(new Set(await burst(first, 160))).toEqual(new Set([200]));
    // The second key is refused long before its own 180: the two together reached the user's 300.
    const fromSecond = await burst(second, 170);
    expect(fromSecond.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    const refusedAt = fromSecond.indexOf(429);
    expect(refusedAt).toBeGreaterThan(100);
    expect(refusedAt).toBeLessThan(160);
    const limited = await signed(suite.app, first, 'GET', '/api/wallet/balance').expect(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The owner's own session counts apart from the keys.
    await request(suite.app.url).get('/api/wallet/balance').set(bob.auth).expect(200);
  });

  it('creates a key that can withdraw only with a fresh second factor in the request itself, and tells its owner by email and notification', async () => {
    const w = await createWithdrawer(suite.app, suite.mail, { asset: 'BTC' });
    const body = { name: 'payouts', scopes: ['read', 'withdraw'], ipAllowlist: ['127.0.0.1'], publicKey: generateApiKeyPair().publicKeyBase64 };
    const post = (extra: object = {}) =>
      request(suite.app.url)
        .post('/api/auth/api-keys')
        .set(w.auth)
        .send({ ...body, ...extra });
    // Stepped up, but no code in the request: a step-up window alone does not make a withdrawal key.
    await stepUp(suite.app, w, { secondFactor: 'backup' });
    const bare = await post().expect(400);
    expect(bare.body.error.details).toEqual([{ field: 'twoFactorCode', message: expect.stringContaining('fresh') }]);
    const wrong = await post({ twoFactorCode: '000000' }).expect(401);
    expect(wrong.body.error.code).toBe('TWO_FACTOR_INVALID');
    const none = await request(suite.app.url).get('/api/auth/api-keys').set(w.auth).expect(200);
    expect(none.body.items).toEqual([]);

    const code = w.backupCodes!.pop()!;
    const made = await post({ twoFactorCode: code }).expect(201);
    expect(made.body.apiKey).toMatchObject({ name: 'payouts', scopes: ['read', 'withdraw'], status: 'active' });
    // A code works once.
    expect((await post({ twoFactorCode: code, publicKey: generateApiKeyPair().publicKeyBase64 }).expect(401)).body.error.code).toBe('TWO_FACTOR_INVALID');

    // The owner is told, by email (with the "This wasn't me" link) and in the app: when, and from which address.
    const mail = await suite.mail.waitFor(w.email, (m) => m.subject === 'A withdrawal API key was created');
    expect(mail.text).toContain('An API key that can withdraw from your account was created');
    expect(mail.text).toMatch(/created from the IP address (::ffff:)?127\.0\.0\.1/);
    expect(mail.text).toMatch(/When: \w+/);
    expect(mail.text).toContain('/security/freeze?token=');
    const notes = await request(suite.app.url).get('/api/notifications').set(w.auth).expect(200);
    const note = (notes.body.items as { title: string; body: string; data: Record<string, unknown> }[]).find(
      (n) => n.data?.event === 'withdrawal_api_key_created',
    );
    expect(note).toMatchObject({
      title: 'A withdrawal API key was created',
      data: { kind: 'security_event', details: { ip: expect.stringContaining('127.0.0.1') } },
    });
    expect(note?.body).toContain('When: ');
    // Audited, with how the creation was confirmed.
    const audit = await request(suite.app.url).get(`/api/admin/audit-logs?userId=${w.id}&action=auth.api_key_created`).set(admin.auth).expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ keyId: made.body.apiKey.id, scopes: ['read', 'withdraw'], secondFactor: 'code' }) }),
    ]);

    // Without two-factor authentication there is no withdrawal key at all (withdrawals need it on).
    const plain = await createUser(suite.app, suite.mail);
    await stepUp(suite.app, plain);
    const off = await request(suite.app.url)
      .post('/api/auth/api-keys')
      .set(plain.auth)
      .send({ ...body, publicKey: generateApiKeyPair().publicKeyBase64, twoFactorCode: '123456' })
      .expect(403);
    expect(off.body.error.code).toBe('TWO_FACTOR_NOT_ENABLED');
  });

  it('refuses a public key that is published (the documented example, RFC 8032 test keys) with 422, in any encoding', async () => {
    const example = API_KEY_WORKED_EXAMPLE.publicKey;
    const pem = createPublicKey(createPrivateKey(API_KEY_WORKED_EXAMPLE.privateKeyPem)).export({ format: 'pem', type: 'spki' }) as string;
    const base64url = Buffer.from(example, 'base64').toString('base64url');
    // RFC 8032 §7.1 TEST 2: published with its private key too.
    const rfcTest2 = 'PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw=';
    await stepUp(suite.app, alice);
    for (const publicKey of [example, pem, base64url, rfcTest2]) {
      const res = await request(suite.app.url)
        .post('/api/auth/api-keys')
        .set(alice.auth)
        .send({ name: 'from the docs', scopes: ['read'], publicKey });
      expect({ publicKey, status: res.status, code: res.body.error?.code }).toEqual({ publicKey, status: 422, code: 'PUBLIC_KEY_PUBLISHED' });
      expect(res.body.error.message).toContain('anyone has its private key');
      expect(res.body.error.details).toEqual([{ field: 'publicKey', message: expect.stringContaining('new key pair') }]);
    }
    const listed = await request(suite.app.url).get('/api/auth/api-keys').set(alice.auth).expect(200);
    expect((listed.body.items as { name: string }[]).filter((k) => k.name === 'from the docs')).toEqual([]);
  });

  it('checks the signature before the timestamp and the nonce, audits no junk, and throttles an address whose requests keep failing', async () => {
    const target = await createKey(suite.app, alice, { scopes: ['read'], name: 'junk target' });
    const forger: Key = { id: target.id, privateKey: generateApiKeyPair().privateKey };
    // Stale or early, signed with the wrong key: a bad signature, whatever its timestamp says.
    for (const skew of [-120_000, 120_000, 0]) {
      const res = await signed(suite.app, forger, 'GET', '/api/wallet/balance', undefined, { timestamp: Date.now() + skew, from: '198.51.100.20' }).expect(401);
      expect({ skew, code: res.body.error.code }).toEqual({ skew, code: 'API_KEY_INVALID' });
    }
    // Unknown key ids: refused alike.
    const ghosts: Key[] = Array.from({ length: 5 }, () => ({ id: randomUUID(), privateKey: forger.privateKey }));
    for (const ghost of ghosts) {
      expect((await signed(suite.app, ghost, 'GET', '/api/wallet/balance', undefined, { from: '198.51.100.20' }).expect(401)).body.error.code).toBe(
        'API_KEY_INVALID',
      );
    }
    // Audited: the bad signature against alice's key, once (capped); never the forger's timestamps; nothing for unknown ids.
    const audit = await request(suite.app.url).get('/api/admin/audit-logs?action=auth.api_key_denied&limit=100').set(admin.auth).expect(200);
    const rows = audit.body.items as { userId: string | null; details: { keyId: string; reason: string } }[];
    expect(rows.filter((r) => r.details.keyId === target.id).map((r) => r.details.reason)).toEqual(['bad_signature']);
    expect(rows.filter((r) => ghosts.some((g) => g.id === r.details.keyId) || r.userId === null)).toEqual([]);

    // An address whose requests keep failing authentication is refused before any key is looked at: 429, for a
    // correctly signed request too; another address is not. RATE_LIMIT_SCALE 3: 60 failures a minute.
    let limited: request.Response | undefined;
    for (let round = 0; round < 10 && !limited; round++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          signed(suite.app, { id: randomUUID(), privateKey: forger.privateKey }, 'GET', '/api/orders', undefined, { from: '198.51.100.21' }),
        ),
      );
      expect(answers.filter((r) => r.status !== 401 && r.status !== 429).map((r) => r.status)).toEqual([]);
      limited = answers.find((r) => r.status === 429);
    }
    expect(limited?.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signed(suite.app, target, 'GET', '/api/wallet/balance', undefined, { from: '198.51.100.21' }).expect(429)).body.error.code).toBe(
      'RATE_LIMITED',
    );
    await signed(suite.app, target, 'GET', '/api/wallet/balance', undefined, { from: '198.51.100.22' }).expect(200);
  });
});
