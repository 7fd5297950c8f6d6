import request from 'supertest';
import { useAppSuite } from '../../support/suite';
import { createUser, TestUser } from '../../support/factories';

/**
 * Issue 14 item 3: tampered cursors and ids are 400 VALIDATION_FAILED, never a
 * database error (22P02 bad uuid, 22003 bigint overflow, 22008 date out of range) or a 500.
 */

/** A cursor as the API encodes one (base64url of `[createdAt, id]`), with whatever inside. */
const cursorOf = (createdAt: string, id: string): string => Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

const NOW = '2026-01-01T00:00:00.000Z';
const SOME_UUID = '00000000-0000-4000-8000-000000000000';
const DASHES = '-'.repeat(36);
const BIGINT_OVERFLOW = '9999999999999999999';
const ANCIENT = '-200000-01-01T00:00:00.000Z';

/** Every keyset list, who may read it, and the type of its key. */
const LISTS: { path: string; admin: boolean; key: 'uuid' | 'bigint' }[] = [
  { path: '/api/orders', admin: false, key: 'uuid' },
  { path: '/api/transactions', admin: false, key: 'bigint' },
  { path: '/api/wallet/deposits', admin: false, key: 'uuid' },
  { path: '/api/wallet/withdrawals', admin: false, key: 'uuid' },
  { path: '/api/alerts', admin: false, key: 'uuid' },
  { path: '/api/recurring-buys', admin: false, key: 'uuid' },
  { path: '/api/notifications', admin: false, key: 'uuid' },
  { path: '/api/admin/audit-logs', admin: true, key: 'bigint' },
  { path: '/api/admin/trades', admin: true, key: 'uuid' },
  { path: '/api/admin/users', admin: true, key: 'uuid' },
  { path: '/api/admin/withdrawals', admin: true, key: 'uuid' },
];

/** Every route with an id in its path, and a route it is read by. */
const UUID_ROUTES: [string, string, Record<string, unknown>?][] = [
  ['get', '/api/orders/:id'],
  ['delete', '/api/orders/:id'],
  ['get', '/api/wallet/deposit/:id'],
  ['post', '/api/wallet/deposit/:id/simulate'],
  ['get', '/api/wallet/withdraw/:id'],
  ['post', '/api/wallet/withdraw/:id/cancel'],
  ['delete', '/api/wallet/addresses/:id'],
  ['get', '/api/alerts/:id'],
  ['patch', '/api/alerts/:id', { active: false }],
  ['delete', '/api/alerts/:id'],
  ['get', '/api/recurring-buys/:id'],
  ['get', '/api/recurring-buys/:id/runs'],
  ['post', '/api/recurring-buys/:id/pause'],
  ['post', '/api/recurring-buys/:id/resume'],
  ['delete', '/api/recurring-buys/:id'],
  ['post', '/api/notifications/:id/read'],
  ['delete', '/api/auth/sessions/:id'],
];
const ADMIN_UUID_ROUTES: [string, string, Record<string, unknown>?][] = [
  ['patch', '/api/admin/users/:id', { suspended: true }],
  ['post', '/api/admin/withdrawals/:id/approve'],
  ['post', '/api/admin/withdrawals/:id/complete', { txHash: '0x' + 'a'.repeat(64) }],
  ['post', '/api/admin/withdrawals/:id/reject', { reason: 'tampered id test' }],
];

describe('security: tampered cursors and ids are 400, never 500', () => {
  const suite = useAppSuite();
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    admin = await createUser(suite.app, suite.mail, { admin: true });
    user = await createUser(suite.app, suite.mail);
  });

  function expectValidation(res: request.Response, what: string, field: string): void {
    if (res.status !== 400) throw new Error(`${what}: expected 400, got ${res.status} ${JSON.stringify(res.body)}`);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([expect.objectContaining({ field })]);
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\(|\/src\/|\.js:\d|22P02|22003|22008|invalid input syntax|out of range/);
  }

  it('answers 400 to a cursor whose id is not of the list key type (non-UUID, 36 dashes, a bigint past 2^63)', async () => {
    for (const list of LISTS) {
      const who = list.admin ? admin : user;
      const bad = list.key === 'uuid' ? ['abc', DASHES, BIGINT_OVERFLOW, '1'] : ['abc', DASHES, BIGINT_OVERFLOW, SOME_UUID, '-1'];
      for (const id of bad) {
        const res = await request(suite.app.url)
          .get(list.path)
          .query({ cursor: cursorOf(NOW, id) })
          .set(who.auth);
        expectValidation(res, `${list.path} with cursor id ${id}`, 'cursor');
      }
    }
  });

  it('answers 400 to a cursor dated outside what PostgreSQL (and this API) can hold, on every keyset list', async () => {
    for (const list of LISTS) {
      const who = list.admin ? admin : user;
      const id = list.key === 'uuid' ? SOME_UUID : '42';
      for (const at of [ANCIENT, '+275760-09-13T00:00:00.000Z', '0001-01-01T00:00:00.000Z', 'yesterday']) {
        const res = await request(suite.app.url)
          .get(list.path)
          .query({ cursor: cursorOf(at, id) })
          .set(who.auth);
        expectValidation(res, `${list.path} with a cursor dated ${at}`, 'cursor');
      }
      // A well-formed cursor (as the API issues them) still pages.
      await request(suite.app.url)
        .get(list.path)
        .query({ cursor: cursorOf(NOW, id) })
        .set(who.auth)
        .expect(200);
    }
  });

  it('answers 400 to a malformed id in every path that takes one (36 dashes, not a UUID, a bigint past 2^63)', async () => {
    const cases: [TestUser, string, string, Record<string, unknown>?][] = [
      ...UUID_ROUTES.map(([m, p, b]) => [user, m, p, b] as [TestUser, string, string, Record<string, unknown>?]),
      ...ADMIN_UUID_ROUTES.map(([m, p, b]) => [admin, m, p, b] as [TestUser, string, string, Record<string, unknown>?]),
    ];
    for (const [who, method, template, body] of cases) {
      for (const id of [DASHES, 'not-a-uuid', BIGINT_OVERFLOW]) {
        const path = template.replace(':id', encodeURIComponent(id));
        let req = (request(suite.app.url) as unknown as Record<string, (p: string) => request.Test>)[method](path).set(who.auth);
        if (body) req = req.send(body);
        const field = template.includes('/deposit/') ? 'orderId' : 'id';
        expectValidation(await req, `${method} ${path}`, field);
      }
    }
    for (const id of [BIGINT_OVERFLOW, 'abc', DASHES, '-1', '1.5']) {
      expectValidation(
        await request(suite.app.url)
          .get(`/api/transactions/${encodeURIComponent(id)}`)
          .set(user.auth),
        `transaction ${id}`,
        'id',
      );
    }
    // Well-formed ids of nothing are still 404, not 400.
    await request(suite.app.url).get(`/api/orders/${SOME_UUID}`).set(user.auth).expect(404);
    await request(suite.app.url).get('/api/transactions/9223372036854775807').set(user.auth).expect(404);
  });

  it('answers 400 to date filters JavaScript holds and PostgreSQL does not (22008), naming the field', async () => {
    const routes: [TestUser, string][] = [
      [user, '/api/transactions'],
      [user, '/api/transactions/export.csv'],
      [admin, '/api/admin/audit-logs'],
      [admin, '/api/admin/trades'],
      [user, '/api/crypto/bitcoin/candles'],
    ];
    for (const [who, path] of routes) {
      for (const field of ['from', 'to']) {
        for (const at of ['-9999-01-01T00:00:00Z', '-200000-01-01', '+275760-09-13T00:00:00Z']) {
          const res = await request(suite.app.url)
            .get(path)
            .query({ [field]: at })
            .set(who.auth);
          expectValidation(res, `${path} ${field}=${at}`, field);
        }
      }
    }
    await request(suite.app.url).get('/api/transactions').query({ from: '2020-01-01T00:00:00Z' }).set(user.auth).expect(200);
  });

  it('is still healthy after all of it', async () => {
    await request(suite.app.url).get('/health').expect(200);
    await request(suite.app.url).get('/api/wallet/balance').set(user.auth).expect(200);
  });
});
