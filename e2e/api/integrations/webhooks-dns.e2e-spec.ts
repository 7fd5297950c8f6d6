import request from 'supertest';
import { generateApiKeyPair } from '../../support/api-key-signing';
import { type RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createUser, stepUp, type TestUser } from '../../support/factories';
import { FakeDns } from '../../support/fakes/dns';
import { WebhookReceiver } from '../../support/fakes/webhook-receiver';
import { fund, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';

/**
 * Webhook hosts looked up as production looks them up: private targets not allowed, every name asked of a nameserver
 * (WEBHOOK_DNS_SERVERS, here a fake one on 127.0.0.1) when the endpoint is made and again before every attempt. Tried
 * as an attacker would: a name that answers a public address while the endpoint is checked and 127.0.0.1 afterwards
 * (DNS rebinding) must never bring a delivery to a service on the server's own machine. Before, this was tested only
 * with a stubbed lookup; the instance had no way to be pointed at a nameserver a test controls.
 */
describe('webhook targets resolved through DNS (WEBHOOK_DNS_SERVERS; rebinding)', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let dns: FakeDns;
  let app: RunningApp;
  let admin: TestUser;
  let alice: TestUser;
  let keyId: string;
  /** A service on the server's own machine that a rebinding name would point the deliveries at. */
  let local: WebhookReceiver;
  /** `http://<name>:<local's port>/hooks`. */
  const on = (name: string) => {
    const url = new URL(local.url);
    url.hostname = name;
    return url.toString();
  };

  /** Makes an endpoint for `url` as its owner does (stepped up): the answer, expected to have `status`. */
  const addWebhook = async (url: string, status: number) => {
    await stepUp(app, alice);
    return request(app.url)
      .post(`/api/api-keys/${keyId}/webhooks`)
      .set(alice.auth)
      .send({ url, events: ['order.filled'] })
      .expect(status);
  };

  beforeAll(async () => {
    [db, mail, dns, local] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeDns().start(), new WebhookReceiver().start()]);
    app = await startApp(
      suiteEnv(db.url, {
        SMTP_URL: mail.url,
        // As production: webhooks only to public addresses, names resolved by c-ares, here through the fake nameserver.
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false',
        WEBHOOK_DNS_SERVERS: dns.server,
        WEBHOOK_RETRY_BASE_MS: '200',
        WEBHOOK_WORKER_INTERVAL_MS: '100',
      }),
    );
    [admin, alice] = await Promise.all([createUser(app, mail, { admin: true }), createUser(app, mail)]);
    await waitForPrices(app);
    await fund(app, admin, alice, 'USD', '1000');
    await stepUp(app, alice);
    const key = await request(app.url)
      .post('/api/auth/api-keys')
      .set(alice.auth)
      .send({ name: 'hooks', scopes: ['read'], publicKey: generateApiKeyPair().publicKeyBase64 })
      .expect(201);
    keyId = key.body.apiKey.id as string;
  });

  afterAll(async () => {
    await app?.stop();
    await Promise.all([local?.stop(), dns?.stop(), mail?.stop()]);
    await db?.drop();
  });

  it('refuses an endpoint whose name resolves to a private address or to nothing (422), asking the configured nameserver', async () => {
    dns.answer('intranet.hooks.test', '10.20.30.40');
    const privateName = await addWebhook(on('intranet.hooks.test'), 422);
    expect(privateName.body.error).toMatchObject({
      code: 'WEBHOOK_URL_NOT_ALLOWED',
      message: 'Webhooks go only to public addresses, and intranet.hooks.test is a private, loopback, link-local or reserved one',
    });
    const unknown = await addWebhook(on('nowhere.hooks.test'), 422);
    expect(unknown.body.error).toMatchObject({ code: 'WEBHOOK_URL_NOT_ALLOWED', message: 'The host nowhere.hooks.test does not resolve: check the URL' });
    expect(dns.questions).toEqual(
      expect.arrayContaining([
        { name: 'intranet.hooks.test', type: 'A' },
        { name: 'intranet.hooks.test', type: 'AAAA' },
        { name: 'nowhere.hooks.test', type: 'A' },
      ]),
    );
    expect((await request(app.url).get(`/api/api-keys/${keyId}/webhooks`).set(alice.auth).expect(200)).body.items).toEqual([]);
  });

  it('looks the name up again before every attempt: one that pointed to a public address when the endpoint was made and to 127.0.0.1 now is refused (address_not_allowed), and nothing reaches the local service', async () => {
    // A public address when the endpoint is checked (never called: the machine is offline, and the check below is
    // what keeps any delivery from going anywhere)…
    dns.answer('rebind.hooks.test', '93.184.215.14');
    const made = await addWebhook(on('rebind.hooks.test'), 201);
    const hookId = made.body.id as string;
    // …and the server's own machine from then on.
    dns.answer('rebind.hooks.test', '127.0.0.1');
    const asked = dns.questions.filter((q) => q.name === 'rebind.hooks.test' && q.type === 'A').length;

    const placed = await request(app.url)
      .post('/api/orders')
      .set(alice.auth)
      .send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '25.00' })
      .expect(201);
    expect(placed.body.order.status).toBe('filled');
    // Two refused attempts (the first and a retry 200 ms or so later), each after asking the nameserver again. On a
    // loaded machine a lookup may miss its 2 s (one try): that attempt is `dns_failed` and the next one asks again.
    const attempts = await waitFor(
      async () => {
        const items = (await request(app.url).get(`/api/api-keys/${keyId}/webhooks/${hookId}/deliveries`).set(alice.auth).expect(200)).body.items as {
          type: string;
          attempt: number;
          statusCode: number | null;
          error: string | null;
          deliveryStatus: string;
        }[];
        // (An attempt that got an answer ends the wait too: then it reached someone, and the checks below say so.)
        return items.filter((a) => a.error === 'address_not_allowed').length >= 2 || items.some((a) => a.statusCode !== null) ? items : undefined;
      },
      30_000,
      'two delivery attempts',
    );
    for (const a of attempts) {
      expect(a).toMatchObject({ type: 'order.filled', statusCode: null, deliveryStatus: 'pending' });
      expect(['address_not_allowed', 'dns_failed']).toContain(a.error);
    }
    expect(dns.questions.filter((q) => q.name === 'rebind.hooks.test' && q.type === 'A').length).toBeGreaterThanOrEqual(asked + 2);
    expect(local.received).toEqual([]);
  });
});
