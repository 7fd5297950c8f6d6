import Decimal from 'decimal.js';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createClient, CryptoVaultApiError, webhookSignatureHeader } from '../../../clients/node/src';
import { generateApiKeyPair } from '../../support/api-key-signing';
import { freePort } from '../../support/app';
import { createUser, stepUp, type TestUser } from '../../support/factories';
import { balanceOf, fund, waitForPrices } from '../../support/money';
import { type Child, run, spawnChild } from '../../support/processes';
import { useAppSuite } from '../../support/suite';
import { waitFor } from '../../support/wait';

// The integrator's kit end to end: the example DCA bot (examples/dca-bot, plain JavaScript on the built
// @cryptovault/client) as its own process against the app, its webhook server on 127.0.0.1.
jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..', '..');
const BOT = join(ROOT, 'examples', 'dca-bot', 'src', 'main.js');

const suite = useAppSuite({
  // The bot's webhook server is on 127.0.0.1; a failed delivery is retried after 200 ms; due deliveries are looked for every 100 ms.
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_WORKER_INTERVAL_MS: '100',
  // The bot's duplicate handling is shown with a redelivery right after the delivery: no cooldown here.
  WEBHOOK_REDELIVERY_COOLDOWN_MS: '0',
});

interface Key {
  id: string;
  pem: string;
  file: string;
}
interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}
interface Endpoint {
  id: string;
  secret: string;
}
interface DeliveryAttempt {
  eventId: string;
  type: string;
  attempt: number;
  statusCode: number | null;
  responseSnippet: string | null;
  deliveryStatus: string;
}
interface OrderRow {
  id: string;
  symbol: string;
  side: string;
  type: string;
  status: string;
  quantity: string;
  quoteAmount: string;
  fee: string;
}

const keyDir = mkdtempSync(join(tmpdir(), 'cv-dca-'));

/** An API key made as its owner makes one (a step-up, then only the public key sent); its PKCS#8 PEM in a 0600 file. */
async function createKey(user: TestUser, scopes: string[]): Promise<Key> {
  const pair = generateApiKeyPair();
  await stepUp(suite.app, user);
  const res = await request(suite.app.url).post('/api/auth/api-keys').set(user.auth).send({ name: 'dca bot', scopes, publicKey: pair.publicKeyBase64 });
  if (res.status !== 201) throw new Error(`creating a key: ${res.status} ${JSON.stringify(res.body)}`);
  const id = res.body.apiKey.id as string;
  const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  const file = join(keyDir, `${id}.pem`);
  writeFileSync(file, pem);
  chmodSync(file, 0o600);
  return { id, pem, file };
}

/** The key's webhook endpoint, registered from the owner's session (step-up): its id and signing secret. */
async function addWebhook(user: TestUser, key: Key, url: string): Promise<Endpoint> {
  await stepUp(suite.app, user);
  const res = await request(suite.app.url)
    .post(`/api/api-keys/${key.id}/webhooks`)
    .set(user.auth)
    .send({ url, events: ['order.filled', 'order.cancelled'] });
  if (res.status !== 201) throw new Error(`adding a webhook: ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.body.secret).toMatch(/^whsec_/);
  return { id: res.body.id as string, secret: res.body.secret as string };
}

/** The endpoint's delivery log as its owner sees it under Settings → API keys → Webhooks → Deliveries. */
async function deliveries(user: TestUser, key: Key, endpoint: Endpoint): Promise<DeliveryAttempt[]> {
  const res = await request(suite.app.url).get(`/api/api-keys/${key.id}/webhooks/${endpoint.id}/deliveries?limit=100`).set(user.auth).expect(200);
  return res.body.items as DeliveryAttempt[];
}

/** Starts the bot with the environment its README documents. */
function startBot(key: Key, env: Record<string, string>): Child {
  return spawnChild(process.execPath, [BOT], {
    PATH: process.env.PATH ?? '',
    CV_BASE_URL: suite.app.url,
    CV_KEY_ID: key.id,
    CV_PRIVATE_KEY_FILE: key.file,
    DCA_SYMBOL: 'BTC',
    ...env,
  });
}

/** The bot's JSON log lines. */
function lines(bot: Child): LogLine[] {
  return bot
    .output()
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      try {
        return JSON.parse(l) as LogLine;
      } catch {
        return { level: 'raw', msg: l };
      }
    });
}
const said = (bot: Child, msg: string) => lines(bot).filter((l) => l.msg === msg);
const waitForLines = (bot: Child, msg: string, count = 1) =>
  waitFor(
    () => {
      if (bot.process.exitCode !== null && said(bot, msg).length < count) throw new Error(`the bot exited: ${bot.output()}`);
      return said(bot, msg).length >= count && said(bot, msg);
    },
    60_000,
    `${count} × "${msg}" from the bot`,
  );

async function exitCode(bot: Child): Promise<number | null> {
  await waitFor(() => bot.process.exitCode !== null || bot.process.signalCode !== null, 90_000, `the bot to exit:\n${bot.output()}`);
  return bot.process.exitCode;
}

async function ordersOf(user: TestUser): Promise<OrderRow[]> {
  return (await request(suite.app.url).get('/api/orders?limit=100').set(user.auth).expect(200)).body.items as OrderRow[];
}

/** What the USD amount paid for: the notional plus the fee. */
const spent = (o: OrderRow) => new Decimal(o.quoteAmount).plus(o.fee);

describe('the example DCA bot and the Node client (examples/dca-bot, clients/node)', () => {
  let admin: TestUser;
  const bots: Child[] = [];
  const bot = (key: Key, env: Record<string, string>) => {
    const b = startBot(key, env);
    bots.push(b);
    return b;
  };

  beforeAll(async () => {
    // The bot runs the built client (clients/node/dist), as an integrator would; tsc -b does nothing when it is current.
    await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', join(ROOT, 'clients', 'node', 'tsconfig.build.json')]);
    admin = await createUser(suite.app, suite.mail, { admin: true });
    await waitForPrices(suite.app);
  });

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.kill()));
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('buys the USD amount once a period, 3 times, and logs the 3 fills as verified webhooks, never its key', async () => {
    const alice = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, alice, 'USD', '1000');
    const key = await createKey(alice, ['trade']);
    const port = await freePort();
    const endpoint = await addWebhook(alice, key, `http://127.0.0.1:${port}/cryptovault`);
    const { secret } = endpoint;
    const [usdBefore, btcBefore] = await Promise.all([balanceOf(suite.app, alice, 'USD'), balanceOf(suite.app, alice, 'BTC')]);

    const dca = bot(key, { DCA_USD_AMOUNT: '25.00', DCA_INTERVAL_MS: '3000', DCA_MAX_RUNS: '3', WEBHOOK_PORT: String(port), WEBHOOK_SECRET: secret });
    expect(await exitCode(dca)).toBe(0);

    // What alice sees: three market buys of BTC, each spending the 25 dollars (fee included, less than a cent-millionth left).
    const orders = await ordersOf(alice);
    expect(orders).toHaveLength(3);
    for (const o of orders) {
      expect(o).toMatchObject({ symbol: 'BTC', side: 'buy', type: 'market', status: 'filled' });
      expect(spent(o).lte('25.00')).toBe(true);
      expect(new Decimal('25.00').minus(spent(o)).lt('0.0000001')).toBe(true);
    }
    // Her balances moved by exactly what the three orders spent and bought.
    const [usdAfter, btcAfter] = await Promise.all([balanceOf(suite.app, alice, 'USD'), balanceOf(suite.app, alice, 'BTC')]);
    const totalSpent = orders.reduce((sum, o) => sum.plus(spent(o)), new Decimal(0));
    const totalBought = orders.reduce((sum, o) => sum.plus(o.quantity), new Decimal(0));
    expect(new Decimal(usdBefore.available).minus(usdAfter.available).toString()).toBe(totalSpent.toString());
    expect(new Decimal(btcAfter.available).minus(btcBefore.available).toString()).toBe(totalBought.toString());

    // The bot's log: one buy in each of three periods, the orders alice sees; three verified fills of those orders.
    const ids = orders.map((o) => o.id).sort();
    const bought = said(dca, 'bought');
    expect(bought.map((l) => l.orderId).sort()).toEqual(ids);
    expect(new Set(bought.map((l) => l.period)).size).toBe(3);
    expect(new Set(bought.map((l) => l.idempotencyKey)).size).toBe(3);
    const fills = said(dca, 'fill');
    expect(fills.map((l) => l.orderId).sort()).toEqual(ids);
    expect(new Set(fills.map((l) => l.eventId)).size).toBe(3);
    expect(fills.every((l) => l.symbol === 'BTC' && l.side === 'buy')).toBe(true);
    expect(said(dca, 'fill webhooks not received')).toEqual([]);
    expect(said(dca, 'done')).toEqual([expect.objectContaining({ runs: 3 })]);
    // The endpoint's delivery log (what alice sees in settings): those three events, delivered, answered 200 by the bot.
    const answered = await waitFor(
      async () => {
        const items = (await deliveries(alice, key, endpoint)).filter((a) => a.statusCode === 200);
        return items.length >= 3 && items;
      },
      30_000,
      'the three deliveries logged as answered',
    );
    expect(answered.map((a) => a.eventId).sort()).toEqual(fills.map((l) => l.eventId).sort());
    for (const a of answered) {
      expect(a).toMatchObject({ type: 'order.filled', deliveryStatus: 'delivered' });
      expect(JSON.parse(a.responseSnippet ?? '')).toEqual({ received: true });
    }
    // Never the private key nor the webhook secret in what it prints.
    const pemBody = key.pem.split('\n')[1];
    expect(dca.output()).not.toContain(pemBody);
    expect(dca.output()).not.toContain(secret);
  });

  it('refuses forged webhooks with 400, ignores a repeated event, and does not buy twice in a period when killed and restarted', async () => {
    const bob = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, bob, 'USD', '100');
    const key = await createKey(bob, ['trade']);
    const port = await freePort();
    const hookUrl = `http://127.0.0.1:${port}/cryptovault`;
    const endpoint = await addWebhook(bob, key, hookUrl);
    const { secret } = endpoint;
    // Daily buys, the current period having begun a minute ago: the whole test is inside one period.
    const env = {
      DCA_USD_AMOUNT: '30',
      DCA_INTERVAL_MS: '86400000',
      DCA_ANCHOR: new Date(Date.now() - 60_000).toISOString(),
      WEBHOOK_PORT: String(port),
      WEBHOOK_SECRET: secret,
    };

    const first = bot(key, env);
    const [buy] = await waitForLines(first, 'bought');
    const [fill] = await waitForLines(first, 'fill');
    expect(fill).toMatchObject({ orderId: buy.orderId, symbol: 'BTC' });

    // Deliveries not signed by the endpoint's secret: 400, and nothing logged as a fill.
    const forged = JSON.stringify({
      id: 'e5a0c7f4-0000-4000-8000-000000000001',
      type: 'order.filled',
      createdAt: new Date().toISOString(),
      data: { id: 'fake' },
    });
    const post = (body: string, signature?: string) => {
      const req = request(hookUrl).post('').set('Content-Type', 'application/json');
      if (signature !== undefined) req.set('CryptoVault-Signature', signature);
      return req.send(body);
    };
    await post(forged, webhookSignatureHeader({ secret: 'whsec_not-the-endpoints', rawBody: forged })).expect(400);
    await post(forged).expect(400);
    await post(forged, webhookSignatureHeader({ secret, rawBody: forged, timestamp: Math.floor(Date.now() / 1000) - 3600 })).expect(400);
    // The right secret over other bytes than those sent.
    await post(forged.replace('fake', 'fakf'), webhookSignatureHeader({ secret, rawBody: forged })).expect(400);
    // Bob presses Redeliver on the event in the delivery log: the same event comes again (a new signature), and the
    // bot answers it 200 as a duplicate without logging a second fill.
    await request(suite.app.url)
      .post(`/api/api-keys/${key.id}/webhooks/${endpoint.id}/deliveries/${String(fill.eventId)}/redeliver`)
      .set(bob.auth)
      .expect(202);
    const [duplicate] = await waitForLines(first, 'webhook duplicate ignored');
    expect(duplicate).toMatchObject({ eventId: fill.eventId, type: 'order.filled' });
    const redelivered = await waitFor(
      async () => (await deliveries(bob, key, endpoint)).find((a) => a.eventId === fill.eventId && a.attempt === 2),
      30_000,
      'the redelivery in the delivery log',
    );
    expect(redelivered).toMatchObject({ statusCode: 200, deliveryStatus: 'delivered' });
    expect(JSON.parse(redelivered.responseSnippet ?? '')).toEqual({ received: true, duplicate: true });
    expect(said(first, 'webhook rejected').map((l) => l.reason)).toEqual([
      'SIGNATURE_MISMATCH',
      'MISSING_SIGNATURE',
      'TIMESTAMP_OUT_OF_TOLERANCE',
      'SIGNATURE_MISMATCH',
    ]);
    expect(said(first, 'fill')).toHaveLength(1);

    // Killed mid-period (a crash), and started again: the same period's key answers the same order, not a second one.
    await first.kill('SIGKILL');
    const second = bot(key, env);
    const [again] = await waitForLines(second, 'bought');
    expect(again).toMatchObject({ orderId: buy.orderId, period: buy.period, idempotencyKey: buy.idempotencyKey });
    const orders = await ordersOf(bob);
    expect(orders.map((o) => o.id)).toEqual([buy.orderId]);
    expect(new Decimal((await balanceOf(suite.app, bob, 'USD')).available).eq(new Decimal('100').minus(spent(orders[0])))).toBe(true);

    // SIGTERM: a clean stop, exit code 0.
    await second.kill('SIGTERM');
    expect(second.process.exitCode).toBe(0);
    expect(said(second, 'stopping')).toEqual([expect.objectContaining({ signal: 'SIGTERM' })]);
    expect(said(second, 'stopped')).toEqual([expect.objectContaining({ exitCode: 0 })]);
  });

  it('logs a period it cannot pay for (422 INSUFFICIENT_FUNDS) and skips it', async () => {
    const carol = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, carol, 'USD', '10');
    const key = await createKey(carol, ['trade']);
    const dca = bot(key, { DCA_USD_AMOUNT: '25', DCA_INTERVAL_MS: '1000', DCA_MAX_RUNS: '2' });
    expect(await exitCode(dca)).toBe(0);
    const skipped = said(dca, 'skipped: not enough USD for this period');
    expect(skipped).toHaveLength(2);
    expect(skipped[0]).toMatchObject({ code: 'INSUFFICIENT_FUNDS', usdAmount: '25' });
    expect(said(dca, 'bought')).toEqual([]);
    expect(await ordersOf(carol)).toEqual([]);
    expect((await balanceOf(suite.app, carol, 'USD')).available).toBe('10.00');
  });

  it("answers a read key's order with the typed 403 error, and its reads with typed data", async () => {
    const dave = await createUser(suite.app, suite.mail);
    await fund(suite.app, admin, dave, 'USD', '50');
    const key = await createKey(dave, ['read']);
    const client = createClient({ baseUrl: suite.app.url, keyId: key.id, privateKey: key.pem });

    const refused = await client
      .post('/api/orders', { body: { symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10' }, idempotencyKey: 'read-key-try' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CryptoVaultApiError);
    expect(refused).toMatchObject({
      status: 403,
      code: 'API_KEY_SCOPE_MISSING',
      message: expect.stringContaining('trade scope'),
      requestId: expect.any(String),
    });

    const balance = await client.get('/api/wallet/balance');
    expect(balance.wallet.balances.find((b) => b.asset === 'USD')).toMatchObject({ available: '50.00' });
    const page = await client.get('/api/orders', { query: { limit: 5 } });
    expect(page.items).toEqual([]);
  });
});
