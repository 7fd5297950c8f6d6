import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createUser, stepUp, TestUser } from '../../support/factories';
import { FakeOtlp, ReceivedSpan } from '../../support/fakes/otlp';
import { FakeSentry } from '../../support/fakes/sentry';
import { fund, waitForPrices } from '../../support/money';
import { SmtpSink } from '../../support/smtp';
import { waitFor } from '../../support/wait';

/**
 * Error tracking and traces (docs/ARCHITECTURE.md "Observability") against a local Sentry and a local OpenTelemetry
 * collector: one instance reports to both.
 */
jest.setTimeout(180_000);

const RELEASE = 'cryptovault@e2e-observability';
const ENVIRONMENT = 'e2e';
const ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const SERVER = 2;

describe('observability: errors reach Sentry scrubbed, an order is one trace', () => {
  let db: TestDatabase;
  let mail: SmtpSink;
  let sentry: FakeSentry;
  let otlp: FakeOtlp;
  let app: RunningApp;
  let admin: TestUser;
  let alice: TestUser;

  beforeAll(async () => {
    [db, mail, sentry, otlp] = await Promise.all([createTestDatabase(), SmtpSink.start(), new FakeSentry().start(), new FakeOtlp().start()]);
    app = await startApp(
      suiteEnv(db.url, {
        SMTP_URL: mail.url,
        SENTRY_DSN: sentry.dsn,
        SENTRY_RELEASE: RELEASE,
        SENTRY_ENVIRONMENT: ENVIRONMENT,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        // The exporter sends what it has every 200 ms instead of every 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '200',
      }),
    );
    [admin, alice] = await Promise.all([createUser(app, mail, { admin: true }), createUser(app, mail)]);
  });
  afterAll(async () => {
    await app?.stop();
    await Promise.all([db?.drop(), mail?.stop(), sentry?.stop(), otlp?.stop()]);
  });

  it('answers an unexpected failure with the one error shape and reports it to Sentry without emails, tokens, cookies or addresses', async () => {
    // A failure no code path expects: the database refuses the row, and its message repeats what it was given.
    await db.query(`
      CREATE FUNCTION e2e_refuse_address() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'address % labelled % refused', NEW.address, NEW.label; END $$;
      CREATE TRIGGER e2e_refuse_address BEFORE INSERT ON withdrawal_addresses FOR EACH ROW EXECUTE FUNCTION e2e_refuse_address();
    `);
    try {
      await stepUp(app, alice);
      const res = await request(app.url)
        .post('/api/wallet/addresses')
        .set(alice.auth)
        .set('Cookie', `refresh_token=${alice.refreshToken}; theme=dark`)
        .send({ label: `Payouts for ${alice.email}`, asset: 'BTC', address: ADDRESS });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        statusCode: 500,
        error: { code: 'INTERNAL', message: 'Something went wrong on our side. It has been logged.' },
        requestId: res.headers['x-request-id'],
      });
      const requestId = res.body.requestId as string;

      const event = await waitFor(() => sentry.events().find((e) => e.tags?.request_id === requestId), 20_000, 'the error event in Sentry').catch(
        (e: Error) => {
          const received = sentry.envelopes.map((en) => en.items.map((i) => i.header.type).join('+')).join(', ');
          throw new Error(`${e.message}; envelopes received: ${received || 'none'}; the app's last output:\n${app.output().slice(-3000)}`);
        },
      );
      expect(event).toMatchObject({ release: RELEASE, environment: ENVIRONMENT, level: 'error' });
      expect(event.exception?.values.at(-1)).toMatchObject({ type: 'QueryFailedError', value: 'address [address] labelled Payouts for [email] refused' });
      expect(event.request).toMatchObject({ method: 'POST', url: expect.stringMatching(/\/api\/wallet\/addresses$/) });

      const sent = sentry.envelopes.map((e) => e.raw).join('\n');
      for (const secret of [alice.email, alice.accessToken, alice.refreshToken, alice.password, ADDRESS, 'theme=dark']) {
        expect(sent).not.toContain(secret);
      }
    } finally {
      await db.query('DROP TRIGGER e2e_refuse_address ON withdrawal_addresses; DROP FUNCTION e2e_refuse_address()');
    }
  });

  it('traces POST /api/orders as one trace: the request, its transaction with the ledger statement and the commit, each span with the request id', async () => {
    await Promise.all([fund(app, admin, alice, 'USD', '5000'), waitForPrices(app)]);
    // With an Idempotency-Key (as the web client sends it) the key row and the order commit in one transaction.
    const res = await request(app.url)
      .post('/api/orders')
      .set(alice.auth)
      .set('Idempotency-Key', randomUUID())
      .send({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '100' })
      .expect(201);
    const requestId = res.headers['x-request-id'] as string;

    const server = await waitFor(
      () => otlp.spans.find((s) => s.kind === SERVER && s.attributes['request.id'] === requestId),
      20_000,
      'the server span of POST /api/orders',
    );
    expect(server).toMatchObject({
      name: 'POST /api/orders',
      attributes: expect.objectContaining({ 'http.route': '/api/orders', 'http.response.status_code': 201 }),
    });
    expect(server.resource).toMatchObject({ 'service.name': 'cryptovault', 'deployment.environment.name': ENVIRONMENT });

    const statement = (s: ReceivedSpan): string => String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? '');
    const isLedgerStatement = (s: ReceivedSpan): boolean => /\bINSERT INTO ledger_entries\b/.test(statement(s));
    const spans = await waitFor(
      () => {
        const trace = otlp.trace(server.traceId);
        return trace.some((s) => statement(s) === 'COMMIT') && trace.some(isLedgerStatement) && trace;
      },
      20_000,
      'the ledger statement and the commit in the trace',
    );
    // In the order they ran: the transaction begins, the ledger statement posts the order, the transaction commits.
    const queries = spans.filter((s) => s.scope === '@opentelemetry/instrumentation-pg' && statement(s)).sort((a, b) => (a.startNanos < b.startNanos ? -1 : 1));
    const begin = queries.findIndex((s) => /^(BEGIN|START TRANSACTION)/.test(statement(s)));
    const ledger = queries.findIndex(isLedgerStatement);
    const commit = queries.findIndex((s) => statement(s) === 'COMMIT');
    expect(begin).toBeGreaterThanOrEqual(0);
    expect([begin < ledger, ledger < commit]).toEqual([true, true]);
    // Every span of the request is in this one trace, under the server span, and every span of the trace names the request.
    expect(otlp.spans.filter((s) => s.attributes['request.id'] === requestId).every((s) => s.traceId === server.traceId)).toBe(true);
    expect(spans.filter((s) => s.attributes['request.id'] !== requestId).map((s) => s.name)).toEqual([]);
    expect(server.parentSpanId).toBeUndefined();
  });
});
