import { join } from 'node:path';
import request from 'supertest';
import { generateApiKeyPair, signApiKeyRequest } from '../../support/api-key-signing';
import { type RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createUser, stepUp, type TestUser } from '../../support/factories';
import { PrivateRedis } from '../../support/private-redis';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';

jest.setTimeout(120_000);

const WINDOW_SECONDS = 5;
/** Instance B's clock is this far behind A's (and the real time), as a server whose NTP has drifted. */
const B_CLOCK_OFFSET_MS = -4_000;
const CLOCK_OFFSET = join(__dirname, '..', '..', 'support', 'clock-offset.js');
const BALANCE = '/api/wallet/balance';

/**
 * The replay check of API-key nonces (API.md "API keys"), where it is easy to get wrong: between two instances whose
 * clocks differ (a nonce must be remembered for the whole acceptance window on both sides plus a margin, not just
 * twice the window), and while the shared Redis that remembers nonces is down (fail closed: 503, never 500, never
 * accepted unchecked). A window of 5 s keeps the waits short; the Redis is this suite's own, so it can be stopped.
 */
describe('API-key nonces: instances with different clocks, and Redis down', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let redis: PrivateRedis;
  let a: RunningApp;
  let b: RunningApp;
  let user: TestUser;
  let key: { id: string; privateKey: ReturnType<typeof generateApiKeyPair>['privateKey'] };

  beforeAll(async () => {
    [db, mail, redis] = await Promise.all([createTestDatabase(), SmtpSink.start(), PrivateRedis.start()]);
    const env = suiteEnv(db.url, { SMTP_URL: mail.url, REDIS_URL: redis.url, API_KEY_WINDOW_SECONDS: String(WINDOW_SECONDS) });
    a = await startApp(env);
    const { PORT: _port, APP_URL: _url, ...shared } = a.env;
    b = await startApp({ ...shared, NODE_OPTIONS: `--require ${CLOCK_OFFSET}`, CV_TEST_CLOCK_OFFSET_MS: String(B_CLOCK_OFFSET_MS) });
    user = await createUser(a, mail);
    const pair = generateApiKeyPair();
    await stepUp(a, user);
    const made = await request(a.url)
      .post('/api/auth/api-keys')
      .set(user.auth)
      .send({ name: 'bot', scopes: ['read'], publicKey: pair.publicKeyBase64 })
      .expect(201);
    key = { id: made.body.apiKey.id as string, privateKey: pair.privateKey };
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([redis?.stop(), mail?.stop(), db?.drop()]);
  });

  it("refuses a replay on an instance whose clock is behind, of a nonce first used at the window's edge, after twice the window", async () => {
    // Signed with a timestamp near the future edge of A's window: A accepts it.
    const signedAt = Date.now();
    const headers = signApiKeyRequest(key.id, key.privateKey, { method: 'GET', pathWithQuery: BALANCE, timestamp: signedAt + (WINDOW_SECONDS - 0.5) * 1000 });
    await request(a.url).get(BALANCE).set(headers).expect(200);
    const firstUsed = Date.now();
    // Twice the window after its first use, B (4 s behind) still finds the timestamp inside its window: only the
    // remembered nonce stands between the captured request and a second withdrawal or order.
    await new Promise((r) => setTimeout(r, Math.max(0, firstUsed + 2 * WINDOW_SECONDS * 1000 + 500 - Date.now())));
    const replay = await request(b.url).get(BALANCE).set(headers);
    expect({ status: replay.status, code: replay.body.error?.code }).toEqual({ status: 401, code: 'NONCE_REUSED' });
    // B accepts a fresh request of the same key: it is the nonce that was refused, not B's clock.
    const fresh = signApiKeyRequest(key.id, key.privateKey, { method: 'GET', pathWithQuery: BALANCE, timestamp: Date.now() + B_CLOCK_OFFSET_MS });
    await request(b.url).get(BALANCE).set(fresh).expect(200);
  });

  it('fails closed with 503 in the one error shape while Redis cannot check the nonce, logs it, and works again once Redis is back', async () => {
    await redis.stop();
    const headers = signApiKeyRequest(key.id, key.privateKey, { method: 'GET', pathWithQuery: BALANCE });
    const refused = await request(a.url).get(BALANCE).set(headers);
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({
      statusCode: 503,
      error: { code: 'SERVICE_UNAVAILABLE', message: 'Signed requests cannot be checked for replays right now; please retry shortly' },
      requestId: expect.any(String),
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // A log line says why (as JSON, with the key and never the signature).
    const line = await waitFor(
      () =>
        a
          .output()
          .split('\n')
          .find((l) => l.includes('nonce check failed')),
      10_000,
      'the log line of the refused nonce check',
    );
    expect(JSON.parse(line)).toMatchObject({ level: 40, keyId: key.id });
    expect(line).not.toContain(headers['CV-API-SIGNATURE']);
    // The user's session is not affected: only the replay check needs Redis.
    await request(a.url).get(BALANCE).set(user.auth).expect(200);

    await redis.start();
    // Once Redis answers again, requests are checked and accepted, and a replay is refused again.
    const accepted = await waitFor(
      async () => {
        const h = signApiKeyRequest(key.id, key.privateKey, { method: 'GET', pathWithQuery: BALANCE });
        return (await request(a.url).get(BALANCE).set(h)).status === 200 ? h : undefined;
      },
      30_000,
      'API keys to work again after Redis is back',
    );
    expect((await request(a.url).get(BALANCE).set(accepted).expect(401)).body.error.code).toBe('NONCE_REUSED');
  });
});
