import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { ecbDailyXml, FakeEcb } from '../../support/fakes/ecb';
import { waitFor } from '../../support/wait';

// Boots app processes and waits on real timers (refresh rounds, retries).
jest.setTimeout(60_000);

const ECB_NAME = 'European Central Bank euro foreign exchange reference rates';

interface FxRates {
  base: string;
  date: string | null;
  source: string;
  sourceName: string;
  fetchedAt: string | null;
  rates: Record<string, string>;
}

/** GET /api/fx/rates, which must answer 200 whatever the source is doing. */
async function rates(app: RunningApp): Promise<FxRates> {
  return (
    await request(app.url)
      .get('/api/fx/rates')
      .expect(200)
      .expect('Content-Type', /application\/json/)
  ).body as FxRates;
}

/** The app's JSON log lines with this message. */
function logLines(app: RunningApp, msg: string): Record<string, unknown>[] {
  return app
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(msg))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const REFRESH_FAILED = 'reference rates: refresh failed; the last stored rates stay in use';

describe('fx: ECB reference rates fetched once, stored, and shared by instances and restarts', () => {
  let db: TestDatabase;
  let ecb: FakeEcb;
  let env: Record<string, string>;
  let a: RunningApp;
  let b: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    ecb = await new FakeEcb().start();
    ecb.setDay('2026-12-02', { USD: '1.0512', JPY: '158.10', GBP: '0.8301', CHF: '0.9352' });
    // One round an hour: every fetch the fake counts is a boot's.
    env = suiteEnv(db.url, { FX_SOURCE: 'ecb', FX_SOURCE_URL: ecb.url, FX_REFRESH_MS: '3600000' });
    // Two instances booting at once on an empty table.
    [a, b] = await Promise.all([startApp(env), startApp(env)]);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await ecb?.stop();
    await db?.drop();
  });

  it('serves the per-USD rates derived exactly from the ECB document, with its date and source', async () => {
    const body = await waitFor(
      async () => {
        const r = await rates(a);
        return r.date !== null && r;
      },
      15_000,
      'the first fetch',
    );
    expect(body).toEqual({
      base: 'USD',
      date: '2026-12-02',
      source: 'ecb',
      sourceName: ECB_NAME,
      fetchedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      // EUR = 1 / 1.0512, GBP = 0.8301 / 1.0512, rounded half-even to 10 significant digits.
      rates: { USD: '1', EUR: '0.9512937595', GBP: '0.7896689498' },
    });
    expect(Math.abs(Date.parse(body.fetchedAt!) - Date.now())).toBeLessThan(60_000);
    expect(ecb.requests[0].headers.accept).toMatch(/xml/);
    const rows = await db.query<{ source: string; rate_date: string; currency: string; per_usd: string }>(
      `SELECT source, rate_date::text AS rate_date, currency, per_usd::text AS per_usd FROM fx_reference_rates ORDER BY currency`,
    );
    expect(rows).toEqual([
      { source: 'ecb', rate_date: '2026-12-02', currency: 'EUR', per_usd: '0.9512937595' },
      { source: 'ecb', rate_date: '2026-12-02', currency: 'GBP', per_usd: '0.7896689498' },
      { source: 'ecb', rate_date: '2026-12-02', currency: 'USD', per_usd: '1' },
    ]);
  });

  it('fetches once for both instances, and the other instance serves the same stored rates', async () => {
    const fromA = await rates(a);
    const fromB = await waitFor(
      async () => {
        const r = await rates(b);
        return r.date !== null && r;
      },
      10_000,
      'instance B to read the stored rates',
    );
    expect(fromB).toEqual(fromA);
    expect(ecb.fetches).toBe(1);
  });

  it('answers a conditional request with 304', async () => {
    const first = await request(a.url).get('/api/fx/rates').expect(200);
    expect(first.headers.etag).toBeTruthy();
    await request(a.url)
      .get('/api/fx/rates')
      .set('If-None-Match', first.headers.etag as string)
      .expect(304);
  });

  it('answers anonymous callers, as the other market data', async () => {
    const res = await request(a.url).get('/api/fx/rates').expect(200);
    expect(res.headers['cache-control'] ?? '').not.toContain('no-store');
  });

  it('reads the stored rates after a restart without fetching again', async () => {
    const before = await rates(a);
    await a.stop();
    a = await startApp(env);
    expect(await rates(a)).toEqual(before);
    // The boot round ran (it found the stored rates current) and fetched nothing.
    await new Promise((r) => setTimeout(r, 500));
    expect(ecb.fetches).toBe(1);
  });
});

describe('fx: a failing ECB source keeps the last stored rates', () => {
  let db: TestDatabase;
  let ecb: FakeEcb;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    ecb = await new FakeEcb().start();
    ecb.setFailure(500);
    // A round every second (the shortest allowed), retries from 200 ms, doubling.
    app = await startApp(suiteEnv(db.url, { FX_SOURCE: 'ecb', FX_SOURCE_URL: ecb.url, FX_REFRESH_MS: '1000', FX_RETRY_MS: '200' }));
  });
  afterAll(async () => {
    await app?.stop();
    await ecb?.stop();
    await db?.drop();
  });

  /** Waits until the fake has answered `n` more fetches. */
  const afterFetches = async (n: number): Promise<void> => {
    const target = ecb.fetches + n;
    await waitFor(() => ecb.fetches >= target, 15_000, `${n} more fetches`);
  };

  it('offers USD only, dated null, while nothing was ever fetched', async () => {
    await afterFetches(2);
    expect(await rates(app)).toEqual({ base: 'USD', date: null, source: 'ecb', sourceName: ECB_NAME, fetchedAt: null, rates: { USD: '1' } });
  });

  it('logs each failed round as one structured warning with the reason, without a stack', async () => {
    const warnings = logLines(app, REFRESH_FAILED);
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings[0]).toMatchObject({ level: 40, context: 'FxRefresh', source: 'ecb', reason: 'HTTP 500', failures: 1 });
    expect(warnings[1]).toMatchObject({ failures: 2 });
    for (const w of warnings) {
      expect(w).not.toHaveProperty('stack');
      expect(w).not.toHaveProperty('err');
    }
    expect(app.output()).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it('serves the rates once the source recovers', async () => {
    ecb.setDay('2026-12-02', { USD: '1.0512', JPY: '158.10', GBP: '0.8301' });
    const body = await waitFor(
      async () => {
        const r = await rates(app);
        return r.date !== null && r;
      },
      15_000,
      'the rates after recovery',
    );
    expect(body).toMatchObject({ date: '2026-12-02', source: 'ecb', rates: { USD: '1', EUR: '0.9512937595', GBP: '0.7896689498' } });
  });

  const failures: [string, () => void, RegExp][] = [
    ['malformed XML', () => ecb.setFailure('malformed'), /^not well-formed XML: /],
    ['an HTTP 500', () => ecb.setFailure(500), /^HTTP 500$/],
    ['an HTML page instead of the document', () => ecb.setFailure('wrong-document'), /a DOCTYPE is refused/],
    ['a document without USD', () => ecb.serveRaw(ecbDailyXml('2026-12-03', { JPY: '158.10', GBP: '0.8301' })), /^no USD rate for 2026-12-03$/],
    ['a zero rate', () => ecb.serveRaw(ecbDailyXml('2026-12-03', { USD: '0', GBP: '0.8301' })), /^the USD rate "0" is not a positive decimal$/],
    ['a negative rate', () => ecb.serveRaw(ecbDailyXml('2026-12-03', { USD: '1.06', GBP: '-0.8301' })), /^the GBP rate "-0.8301" is not a positive decimal$/],
    ['another root element', () => ecb.serveRaw('<?xml version="1.0"?><rates date="2026-12-03"><USD>1.06</USD></rates>'), /^the root element is <rates>/],
  ];
  for (const [what, fail, reason] of failures) {
    it(`keeps serving the last stored rates through ${what}`, async () => {
      const before = await rates(app);
      const warned = logLines(app, REFRESH_FAILED).length;
      fail();
      // A round that ended on this failure (one already in flight may have met the previous answer).
      await waitFor(
        () =>
          logLines(app, REFRESH_FAILED)
            .slice(warned)
            .some((w) => reason.test(String(w.reason))),
        15_000,
        `a round failing on ${what}`,
      );
      expect(await rates(app)).toEqual(before);
      const days = await db.query<{ d: string }>(`SELECT DISTINCT rate_date::text AS d FROM fx_reference_rates`);
      expect(days).toEqual([{ d: '2026-12-02' }]);
    });
  }

  it('keeps serving them while the source is unreachable, and takes the next day when it is back', async () => {
    const before = await rates(app);
    const port = Number(new URL(ecb.url).port);
    await ecb.stop();
    const warned = logLines(app, REFRESH_FAILED).length;
    await waitFor(() => logLines(app, REFRESH_FAILED).length >= warned + 2, 15_000, 'two failed rounds');
    expect(logLines(app, REFRESH_FAILED).pop()!.reason).toMatch(/^request failed: ECONNREFUSED$/);
    expect(await rates(app)).toEqual(before);

    ecb = await new FakeEcb().start(port);
    ecb.setDay('2026-12-03', { USD: '1.0600', JPY: '160.02', GBP: '0.8350' });
    const next = await waitFor(
      async () => {
        const r = await rates(app);
        return r.date === '2026-12-03' && r;
      },
      15_000,
      'the next day',
    );
    expect(next).toEqual({
      base: 'USD',
      date: '2026-12-03',
      source: 'ecb',
      sourceName: ECB_NAME,
      fetchedAt: expect.any(String),
      rates: { USD: '1', EUR: '0.9433962264', GBP: '0.7877358491' },
    });
    expect(Date.parse(next.fetchedAt!)).toBeGreaterThan(Date.parse(before.fetchedAt!));
  });
});

describe('fx: the bundled sample on simulated prices, with no network', () => {
  let db: TestDatabase;
  let ecb: FakeEcb;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    ecb = await new FakeEcb().start();
    // FX_SOURCE unset, as with `npm start`: simulated prices choose the sample. The URL would be the fake's, were it used.
    const env = suiteEnv(db.url, { PRICE_SOURCES: 'simulated', FX_SOURCE_URL: ecb.url, FX_REFRESH_MS: '1000' });
    delete env.FX_SOURCE;
    app = await startApp(env);
  });
  afterAll(async () => {
    await app?.stop();
    await ecb?.stop();
    await db?.drop();
  });

  it('serves the sample day, labelled as a sample, and never fetches', async () => {
    const body = await waitFor(
      async () => {
        const r = await rates(app);
        return r.date !== null && r;
      },
      15_000,
      'the sample rates',
    );
    expect(body).toEqual({
      base: 'USD',
      date: '2024-06-28',
      source: 'sample',
      sourceName: `Sample, not current: ${ECB_NAME} of one past day, bundled with CryptoVault`,
      fetchedAt: expect.any(String),
      // The ECB's 28 June 2024 rates: USD 1.0705, GBP 0.84638 per euro.
      rates: { USD: '1', EUR: '0.9341429239', GBP: '0.7906398879' },
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(ecb.requests).toEqual([]);
    expect(logLines(app, REFRESH_FAILED)).toEqual([]);
  });
});
