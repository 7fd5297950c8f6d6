import { request as httpRequest, type IncomingMessage } from 'node:http';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, TestUser } from '../../support/factories';
import { fund, runReconcile, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';
import { TestSocket } from '../../support/ws-client';

jest.setTimeout(120_000);

const GRACE_MS = 10_000;

/** The process's structured log lines that describe the shutdown. */
function shutdownLines(app: RunningApp): { shutdown: string; [k: string]: unknown }[] {
  return app
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes('"shutdown"'))
    .map((l) => JSON.parse(l) as { shutdown: string });
}

function exitOf(app: RunningApp): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (app.process.exitCode !== null || app.process.signalCode !== null) return Promise.resolve({ code: app.process.exitCode, signal: app.process.signalCode });
  return new Promise((resolve) => app.process.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * A POST whose body is sent in two parts: the server has the request (in
 * flight, waiting for the rest of the body) until `finish()` is called.
 */
function slowPost(app: RunningApp, path: string, auth: Record<string, string>, body: unknown): { finish(): Promise<{ res: IncomingMessage; body: string }> } {
  const payload = Buffer.from(JSON.stringify(body));
  const req = httpRequest(`${app.url}${path}`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json', 'Content-Length': String(payload.length) },
  });
  const answered = new Promise<{ res: IncomingMessage; body: string }>((resolve, reject) => {
    req.once('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.once('end', () => resolve({ res, body: text }));
    });
    req.once('error', reject);
  });
  // A test may let the process die under it: that rejection is expected, not unhandled.
  answered.catch(() => undefined);
  req.write(payload.subarray(0, 10));
  return {
    finish: () => {
      req.end(payload.subarray(10));
      return answered;
    },
  };
}

async function isRefused(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`);
    return false;
  } catch (e) {
    return ((e as { cause?: { code?: string } }).cause?.code ?? '') === 'ECONNREFUSED';
  }
}

describe('platform: graceful shutdown on SIGTERM', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let env: Record<string, string>;
  let admin: TestUser;
  let alice: TestUser;
  const running: RunningApp[] = [];

  const boot = async (extra: Record<string, string> = {}): Promise<RunningApp> => {
    const app = await startApp({ ...env, ...extra });
    running.push(app);
    return app;
  };

  beforeAll(async () => {
    [db, mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    env = suiteEnv(db.url, { SMTP_URL: mail.url, SHUTDOWN_GRACE_MS: String(GRACE_MS), RATE_LIMIT_SCALE: '1000' });
    const app = await boot();
    admin = await createUser(app, mail, { admin: true });
    alice = await createUser(app, mail);
    await fund(app, admin, alice, 'USD', '50000');
    await app.stop();
  });
  afterAll(async () => {
    await Promise.all(running.map((a) => a.kill()));
    await Promise.all([db?.drop(), mail?.stop()]);
  });

  it('finishes an order in flight, closes every WebSocket with 1001, refuses new connections and exits 0 within the grace period', async () => {
    const app = await boot();
    await waitForPrices(app);
    const sockets = await Promise.all([
      TestSocket.open(`${app.url.replace('http', 'ws')}/ws/prices`),
      TestSocket.open(`${app.url.replace('http', 'ws')}/ws/prices/BTC`),
      TestSocket.open(`${app.url.replace('http', 'ws')}/ws/user`, { headers: alice.auth }),
    ]);
    await sockets[2].next((m) => m.type === 'authenticated');

    // The order is on its way (headers and part of the body received) when SIGTERM arrives.
    const order = slowPost(app, '/api/orders', alice.auth, { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '250' });
    await new Promise((r) => setTimeout(r, 300));
    const signalledAt = Date.now();
    const exited = exitOf(app);
    app.process.kill('SIGTERM');
    await waitFor(() => shutdownLines(app).some((l) => l.shutdown === 'started'), 5_000, 'the shutdown to start');

    const closes = await Promise.all(sockets.map((s) => s.waitClosed(5_000)));
    expect(closes).toEqual(sockets.map(() => ({ code: 1001, reason: 'server shutting down' })));
    expect(await isRefused(app.url)).toBe(true);

    const { res, body } = await order.finish();
    expect(res.statusCode).toBe(201);
    expect(res.headers.connection).toBe('close');
    const placed = (JSON.parse(body) as { order: { id: string; status: string } }).order;
    expect(placed.status).toBe('filled');

    expect(await exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(GRACE_MS);
    expect(shutdownLines(app).map((l) => l.shutdown)).toEqual(['started', 'drained', 'complete']);
    expect(shutdownLines(app).at(-1)).toMatchObject({ clean: true, level: 30 });

    const [row] = await db.query<{ status: string }>(`SELECT status FROM orders WHERE id = $1`, [placed.id]);
    expect(row).toEqual({ status: 'filled' });
    expect(await runReconcile(db.url)).toMatchObject({ code: 0 });
  });

  it('hands the price-ingestion lease to another instance at once instead of after the lease runs out', async () => {
    // A long lease: without the hand-over the second instance would wait for it to run out (60 s) to notice.
    const LEASE_MS = 60_000;
    const lease = { PRICE_LEADER_LEASE_MS: String(LEASE_MS) };
    const leader = await boot(lease);
    await waitForPrices(leader);
    const follower = await boot(lease);
    expect(follower.output()).not.toContain('this instance ingests prices');
    const stoppedAt = Date.now();
    await leader.stop();
    // Not a speed expectation: taking over before half the lease could have run out is only possible by hand-over.
    await waitFor(() => follower.output().includes('this instance ingests prices'), LEASE_MS / 2, 'the follower to take over ingestion');
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_MS / 2);
    await waitForPrices(follower);
    await follower.stop();
  });

  it('exits at once, with code 1, on a second signal while draining', async () => {
    const app = await boot();
    const stuck = slowPost(app, '/api/orders', alice.auth, { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '100' });
    await new Promise((r) => setTimeout(r, 300));
    const exited = exitOf(app);
    app.process.kill('SIGTERM');
    await waitFor(() => shutdownLines(app).some((l) => l.shutdown === 'started'), 5_000, 'the shutdown to start');
    const secondAt = Date.now();
    app.process.kill('SIGTERM');
    expect(await exited).toEqual({ code: 1, signal: null });
    // Forced by the second signal, not after the grace period ran out (its own line says which).
    expect(shutdownLines(app).map((l) => l.shutdown)).toEqual(['started', 'forced']);
    expect(Date.now() - secondAt).toBeLessThan(GRACE_MS);
    await stuck.finish().catch(() => undefined);
  });
});
