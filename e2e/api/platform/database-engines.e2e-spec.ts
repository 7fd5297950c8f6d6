import { execFile } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { balanceOf, fund, runReconcile, waitForPrices } from '../../support/money';
import { nestingCases } from '../../support/nested-bodies';
import { SmtpSink } from '../../support/smtp';
import { createWithdrawer } from '../../support/withdrawer';

jest.setTimeout(180_000);

/**
 * The same server on both database engines: PostgreSQL, and the embedded default (PGlite in DATA_DIR, one
 * connection, with the in-process Redis twins and sandbox payments). One instance per engine serves every check
 * below (a PGlite boot costs several times a PostgreSQL one); booting the embedded default in the development
 * profile, and again on its data, is embedded.e2e-spec.ts.
 *
 * Issue 14, item 1: one request must never hang the database. A market order with an
 * Idempotency-Key from a user who cannot pay runs inside the key's transaction; its refusal
 * used to read "why" through a second connection while the transaction held the first:
 * on PGlite (one connection) the whole server hung, on PostgreSQL 25 of them at once
 * exhausted the pool. Run on both, with the connection guard of test mode on (the default
 * under NODE_ENV=test): asking for a second connection while holding one throws.
 */
describe.each([
  ['PostgreSQL', false],
  ['the embedded default (PGlite)', true],
])('on %s', (_label, embedded) => {
  let db: TestDatabase | undefined;
  let mail: SmtpSink;
  let app: RunningApp;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    mail = await SmtpSink.start();
    if (!embedded) db = await createTestDatabase();
    app = await startApp(suiteEnv(db?.url, { SMTP_URL: mail.url, ...(embedded ? { REDIS_URL: '' } : {}) }), { timeoutMs: 50_000 });
    admin = await createUser(app, mail, { admin: true });
    user = await createUser(app, mail);
    await fund(app, admin, user, 'USD', '25');
    await waitForPrices(app);
  });
  afterAll(async () => {
    await app?.stop();
    await mail?.stop();
    await db?.drop();
  });

  it('credits a simulated sandbox deposit once and holds, then releases, a cancelled withdrawal', async () => {
    const payer = await createWithdrawer(app, mail, { asset: 'ETH' });
    const created = await request(app.url).post('/api/wallet/deposit/create').set(payer.auth).send({ amount: '150', currency: 'eth' }).expect(201);
    await request(app.url).post(`/api/wallet/deposit/${created.body.orderId}/simulate`).set(payer.auth).expect(200);
    await request(app.url).post(`/api/wallet/deposit/${created.body.orderId}/simulate`).set(payer.auth).expect(200);
    expect(await balanceOf(app, payer, 'USD')).toMatchObject({ available: '150.00' });

    await fund(app, admin, payer, 'ETH', '0.1');
    const w = await request(app.url)
      .post('/api/wallet/withdraw')
      .set(payer.auth)
      .send({ asset: 'ETH', amount: '0.02', addressId: payer.addressId, twoFactorCode: payer.backupCodes![0] })
      .expect(201);
    expect(await balanceOf(app, payer, 'ETH')).toMatchObject({ available: '0.07850000', locked: '0.02150000' });
    await request(app.url).post(`/api/wallet/withdraw/${w.body.withdrawal.id}/cancel`).set(payer.auth).expect(200);
    expect(await balanceOf(app, payer, 'ETH')).toMatchObject({ available: '0.10000000', locked: '0.00000000' });
  });

  const order = (key: string) =>
    request(app.url).post('/api/orders').set(user.auth).set('Idempotency-Key', key).send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '5000' });

  it('answers an unaffordable keyed market order 422 INSUFFICIENT_FUNDS with what was needed and what is available, and the replay answers the same', async () => {
    const first = await order('cannot-pay-1').expect(422);
    expect(first.body.error.code).toBe('INSUFFICIENT_FUNDS');
    expect(first.body.error.details).toEqual([expect.objectContaining({ field: 'USD', message: expect.stringMatching(/available 25\.00/) })]);
    const replay = await order('cannot-pay-1').expect(422);
    expect(replay.body.error).toEqual(first.body.error);
    expect(await balanceOf(app, user, 'USD')).toMatchObject({ available: '25.00', locked: '0.00' });
  });

  it('refuses 50 such orders in parallel, each one, while /api/wallet/balance keeps answering 200', async () => {
    let polling = true;
    const balanceStatuses: number[] = [];
    const poller = (async () => {
      while (polling) {
        const res = await request(app.url).get('/api/wallet/balance').set(user.auth);
        balanceStatuses.push(res.status);
      }
    })();
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => order(`cannot-pay-parallel-${i}`)));
    polling = false;
    await poller;
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(422));
    expect(new Set(replies.map((r) => r.body.error.code))).toEqual(new Set(['INSUFFICIENT_FUNDS']));
    expect(balanceStatuses.length).toBeGreaterThan(0);
    expect(balanceStatuses.filter((s) => s !== 200)).toEqual([]);
    // Still usable for what the user can afford, and nothing was spent by the refusals.
    await request(app.url)
      .post('/api/orders')
      .set(user.auth)
      .set('Idempotency-Key', 'can-pay-1')
      .send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10' })
      .expect(201);
    expect(app.output()).not.toMatch(/second database connection/);
    if (db) expect((await runReconcile(db.url)).code).toBe(0);
  });

  // Issue 14 item 2 on the embedded default (security-bodies runs the same cases on PostgreSQL).
  if (embedded) {
    it('answers 400 INVALID_BODY to a body nested 20,000 deep on every kind of route, and stays healthy', async () => {
      await nestingCases(app, user);
      expect(app.output()).not.toMatch(/Maximum call stack/);
    });
  }
});

describe('the database layer on the embedded database (one connection)', () => {
  it('refuses a second connection inside a transaction, runs work the transaction started after it commits, and answers DATABASE_BUSY instead of waiting forever', async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [join(__dirname, '..', '..', 'support', 'embedded-connection-probe.js')], { timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    const result = JSON.parse(out) as Record<
      string,
      { ok: boolean; value?: unknown; name?: string; status?: number; code?: string; headers?: Record<string, string> }
    > & {
      afterRefusal: unknown;
    };
    // The mistake is a loud error, the transaction rolled back, and the connection came back.
    expect(result.secondConnection).toMatchObject({ ok: false, name: 'SecondConnectionError' });
    expect(result.afterRefusal).toEqual([{ n: 0 }]);
    expect(result.afterCommit).toEqual({ ok: true, value: [{ n: 1 }] });
    // Waiting past the bound: 503 DATABASE_BUSY in the one error shape, and the caller that gave up is off the line.
    expect(result.busy).toMatchObject({ ok: false, status: 503, code: 'DATABASE_BUSY', headers: { 'Retry-After': '2' } });
    expect(result.afterBusy).toEqual({ ok: true, value: [{ one: 1 }] });
  });
});
