/**
 * The trigger engine under a full book (issue 22, goal 1): resting limit and stop orders and price
 * alerts armed on many users, on PostgreSQL + Redis, prices from a local fake Binance stream that
 * the app ingests as it would the real one (bench/support/price-feed.ts).
 *
 * (a) Ticks that each cross TICK_ORDERS resting orders and TICK_ALERTS alerts (5 + 5: "a tick
 *     crossing 10 of them"): time from the tick leaving the fake source to the last of those ten
 *     `/ws/user` events arriving on the owners' sockets (each event is published after its fill or
 *     firing has committed, so this is also the time by which all ten are posted); p50/p99/max over
 *     TICKS ticks, one at a time.
 * (b) A tick crossing BURST resting orders at once: time until all BURST are posted (the database
 *     polled every 10 ms, or the last of their events if that came first), paired in the same run with the time BURST market orders take through
 *     the batcher over HTTP (MARKET_CONNECTIONS keep-alive connections, all sent at once);
 *     BURST_ROUNDS rounds, alternating which goes first; the ratio is the median of the rounds'.
 *
 * Seeding: through the real HTTP API (users by e2e's createUser, funds by the admin's ledger
 * adjustments, every order by POST /api/orders and every alert by POST /api/alerts, SEED_CONCURRENCY
 * at a time), so the state, holds included, is exactly what users make; the time it took is reported.
 *
 * Correctness, asserted after the measurements (exit 1 on a violation): every crossed order is
 * filled with exactly one fill journal and one notification, every other one still open with
 * none; every crossed alert fired once (one notification), every other one still armed; each
 * event arrived exactly once on its owner's socket and nothing else fired; every market order was
 * answered 201 filled with one fill journal and one event; `reconcile` clean on that database.
 *
 *   npm run bench:build && node bench/run-ts.js bench/triggers.ts
 *   env: TRIGGER_USERS (500), TRIGGER_ORDERS (10000), TRIGGER_ALERTS (10000; at most 20 per user, the
 *        per-user limit of armed alerts), TICKS (200), TICK_ORDERS (5), TICK_ALERTS (5), BURST (1000),
 *        BURST_ROUNDS (3), MARKET_CONNECTIONS (100), SEED_CONCURRENCY (16), BENCH_JSON, PIN_CPUS (1)
 */
import Decimal from 'decimal.js';
import { Client } from 'pg';
import type { RunningApp } from '../e2e/support/app';
import { createUser, type TestUser } from '../e2e/support/factories';
import { runReconcile, waitForPrices } from '../e2e/support/money';
import { SmtpSink } from '../e2e/support/smtp';
import { median, percentile, runScript, splitCpus, writeBenchJson } from './support/bench-util';
import { benchEnv, fundedUsers, inPool, scratchDatabase, startInstances } from './support/deployment';
import { burstAgent, send } from './support/http-load';
import { FEED_SYMBOLS, PriceFeed } from './support/price-feed';
import { UserSocketPool } from './support/user-sockets';

const USERS = Number(process.env.TRIGGER_USERS ?? 500);
const ORDERS = Number(process.env.TRIGGER_ORDERS ?? 10_000);
const ALERTS = Number(process.env.TRIGGER_ALERTS ?? 10_000);
const TICKS = Number(process.env.TICKS ?? 200);
const TICK_ORDERS = Number(process.env.TICK_ORDERS ?? 5);
const TICK_ALERTS = Number(process.env.TICK_ALERTS ?? 5);
const BURST = Number(process.env.BURST ?? 1_000);
const BURST_ROUNDS = Number(process.env.BURST_ROUNDS ?? 3);
const MARKET_CONNECTIONS = Number(process.env.MARKET_CONNECTIONS ?? 100);
const SEED_CONCURRENCY = Number(process.env.SEED_CONCURRENCY ?? 16);
/** BTC starts at 100,000 (price-feed.ts); ladder level k of (a) is 10 USD × (k + 1) below. */
const BTC_START = 100_000;
const LADDER_STEP = 10;
/** ETH starts at 4,000; burst round r's orders sit in [3,750.05 − 100r, 3,800 − 100r], its tick goes to 3,750 − 100r. */
const ETH_BAND_TOP = 3_800;

interface PlannedOrder {
  user: number;
  body: Record<string, string>;
  /** Which measurement crosses it: a ladder level of (a), a burst round of (b), or none (it rests throughout). */
  crossedBy: { ladder: number } | { burst: number } | null;
  id?: string;
}

interface PlannedAlert {
  user: number;
  body: Record<string, string | boolean>;
  crossedBy: { ladder: number } | null;
  id?: string;
}

const ladderPrice = (k: number): string => String(BTC_START - LADDER_STEP * (k + 1));
const burstTick = (r: number): string => String(ETH_BAND_TOP - 50 - 100 * r);
/** A price far from where any tick of this bench goes: the level of a resting trigger that never fires. */
const far = (start: string, factor: number): string => new Decimal(start).mul(factor).toSignificantDigits(6).toFixed();

/** The book: the ladder of (a), the bursts of (b), and resting orders and alerts spread over every asset that never fire. */
function plan(feed: PriceFeed): { orders: PlannedOrder[]; alerts: PlannedAlert[] } {
  const orders: PlannedOrder[] = [];
  const alerts: PlannedAlert[] = [];
  // Limit buys and stop sells alternate: both rest below the price and fire when it falls to them.
  const below = (symbol: string, level: string, quantity: string, i: number): Record<string, string> =>
    i % 2 === 0 ? { symbol, side: 'buy', type: 'limit', quantity, limitPrice: level } : { symbol, side: 'sell', type: 'stop', quantity, stopPrice: level };
  for (let k = 0; k < TICKS; k++) {
    for (let i = 0; i < TICK_ORDERS; i++) orders.push({ user: 0, body: below('BTC', ladderPrice(k), '0.0001', i), crossedBy: { ladder: k } });
    for (let i = 0; i < TICK_ALERTS; i++)
      alerts.push({ user: 0, body: { symbol: 'BTC', kind: 'price', condition: 'below', targetPrice: ladderPrice(k) }, crossedBy: { ladder: k } });
  }
  for (let r = 0; r < BURST_ROUNDS; r++) {
    for (let j = 0; j < BURST; j++) {
      const level = new Decimal(ETH_BAND_TOP - 100 * r)
        .sub(new Decimal('0.05').mul(j % 1000))
        .sub(new Decimal('0.0001').mul(Math.floor(j / 1000)))
        .toFixed(4);
      orders.push({ user: 0, body: below('ETH', level, '0.0025', j), crossedBy: { burst: r } });
    }
  }
  if (orders.length > ORDERS || alerts.length > ALERTS) {
    throw new Error(
      `TICKS × TICK_ORDERS + BURST × BURST_ROUNDS = ${orders.length} orders and TICKS × TICK_ALERTS = ${alerts.length} alerts; TRIGGER_ORDERS/TRIGGER_ALERTS must hold them`,
    );
  }
  // The rest: limit buys at half the price and stop buys (by USD amount) at twice it, alerts below half and above twice it.
  for (let f = 0; orders.length < ORDERS; f++) {
    const symbol = FEED_SYMBOLS[f % FEED_SYMBOLS.length];
    const start = feed.price(symbol);
    const limit = far(start, 0.5);
    orders.push({
      user: 0,
      body:
        f % 2 === 0
          ? { symbol, side: 'buy', type: 'limit', quantity: new Decimal(10).div(limit).toDecimalPlaces(6, Decimal.ROUND_DOWN).toFixed(6), limitPrice: limit }
          : { symbol, side: 'buy', type: 'stop', quoteAmount: '10', stopPrice: far(start, 2) },
      crossedBy: null,
    });
  }
  for (let f = 0; alerts.length < ALERTS; f++) {
    const symbol = FEED_SYMBOLS[f % FEED_SYMBOLS.length];
    const start = feed.price(symbol);
    alerts.push({
      user: 0,
      body:
        f % 2 === 0
          ? { symbol, kind: 'price', condition: 'below', targetPrice: far(start, 0.5) }
          : { symbol, kind: 'price', condition: 'above', targetPrice: far(start, 2) },
      crossedBy: null,
    });
  }
  // Consecutive triggers (one ladder level, one burst) belong to different users; each user gets at most ⌈ALERTS/USERS⌉ alerts.
  orders.forEach((o, i) => (o.user = i % USERS));
  alerts.forEach((a, i) => (a.user = i % USERS));
  return { orders, alerts };
}

async function post(app: RunningApp, user: TestUser, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...user.auth }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function seed(app: RunningApp, users: TestUser[], orders: PlannedOrder[], alerts: PlannedAlert[]): Promise<{ seconds: number; perSecond: number }> {
  const t0 = performance.now();
  await inPool(orders, SEED_CONCURRENCY, async (o) => {
    const { status, json } = await post(app, users[o.user], '/api/orders', o.body);
    const order = json.order as { id: string; status: string } | undefined;
    if (status !== 201 || order?.status !== 'open') throw new Error(`seeding an order ${JSON.stringify(o.body)}: ${status} ${JSON.stringify(json)}`);
    o.id = order.id;
  });
  await inPool(alerts, SEED_CONCURRENCY, async (a) => {
    const { status, json } = await post(app, users[a.user], '/api/alerts', a.body);
    const alert = (json.alert ?? json) as { id?: string };
    if (status !== 201 || typeof alert.id !== 'string') throw new Error(`seeding an alert ${JSON.stringify(a.body)}: ${status} ${JSON.stringify(json)}`);
    a.id = alert.id;
  });
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, perSecond: (orders.length + alerts.length) / seconds };
}

async function main(): Promise<void> {
  if (ALERTS > USERS * 20) throw new Error(`TRIGGER_ALERTS (${ALERTS}) is more than 20 per user (TRIGGER_USERS ${USERS}): the API refuses more armed alerts`);
  if (TICK_ORDERS + TICK_ALERTS > USERS) throw new Error('a ladder level needs TICK_ORDERS + TICK_ALERTS distinct users');
  const cpus = splitCpus();
  const db = await scratchDatabase('cv_bench_triggers');
  const mail = await SmtpSink.start();
  const feed = await new PriceFeed().start();
  const pg = new Client({ connectionString: db.url });
  let app: RunningApp | undefined;
  let sockets: UserSocketPool | undefined;
  const violations: string[] = [];
  try {
    [app] = await startInstances(benchEnv(db.url, feed.url, mail), 1);
    cpus?.pinServer(app.process.pid!);
    await pg.connect();
    await waitForPrices(app);
    const setupStart = performance.now();
    const admin = await createUser(app, mail, { admin: true });
    const users = await fundedUsers(app, mail, admin, USERS, { USD: '1000000', BTC: '1', ETH: '10' });
    const usersSeconds = (performance.now() - setupStart) / 1000;
    const { orders, alerts } = plan(feed);
    const seeded = await seed(app, users, orders, alerts);
    const [{ open }] = (await pg.query(`SELECT count(*)::int AS open FROM orders WHERE status = 'open' AND type IN ('limit', 'stop')`)).rows as {
      open: number;
    }[];
    const [{ armed }] = (await pg.query(`SELECT count(*)::int AS armed FROM alerts WHERE active`)).rows as { armed: number }[];
    if (open !== ORDERS || armed !== ALERTS) throw new Error(`after seeding: ${open} open orders (want ${ORDERS}), ${armed} armed alerts (want ${ALERTS})`);
    process.stderr.write(
      `seeded ${ORDERS} orders and ${ALERTS} alerts on ${USERS} users in ${seeded.seconds.toFixed(1)} s (users: ${usersSeconds.toFixed(1)} s)\n`,
    );

    sockets = await UserSocketPool.open(
      app.url.replace('http', 'ws'),
      users.map((u) => ({ id: u.id, accessToken: u.accessToken })),
    );
    const owner = (i: number): string => users[i].id;

    // (a) One tick at a time, each to the next ladder level.
    const tickLatencies: number[] = [];
    const firstEventLatencies: number[] = [];
    /** Each measured tick's index and when it was sent (ms since (a) began): where in the run the slow ones were. */
    const tickAt: { k: number; atMs: number; ms: number }[] = [];
    const aStartedAt = Date.now();
    for (let k = 0; k < TICKS; k++) {
      const expected = new Map<string, string>();
      for (const o of orders) if (o.crossedBy && 'ladder' in o.crossedBy && o.crossedBy.ladder === k) expected.set(`order:${o.id}`, owner(o.user));
      for (const a of alerts) if (a.crossedBy?.ladder === k) expected.set(`alert:${a.id}`, owner(a.user));
      const tick = feed.tick({ BTC: ladderPrice(k) });
      try {
        const last = await sockets.expect(expected, 10_000);
        tickLatencies.push(last - tick.sentAt);
        tickAt.push({ k, atMs: Date.now() - aStartedAt, ms: last - tick.sentAt });
        const firsts = [...expected].flatMap(([key, uid]) => (sockets!.byUser.get(uid) ?? []).map((s) => s.events.get(key)?.[0] ?? Infinity));
        firstEventLatencies.push(Math.min(...firsts) - tick.sentAt);
      } catch (e) {
        violations.push(`tick ${k}: ${(e as Error).message}`);
      }
      // Let the engine finish the tick's last notification before the next tick (ticks are measured one at a time).
      await new Promise((r) => setTimeout(r, 100));
    }
    const sortedTicks = [...tickLatencies].sort((a, b) => a - b);
    const sortedFirst = [...firstEventLatencies].sort((a, b) => a - b);
    // What else the database did meanwhile: autovacuum and autoanalyze runs that ended during (a) (the seeding wrote
    // 20,000 rows and their journals just before).
    const maintenance = (
      await pg.query(
        `SELECT relname, 'vacuum' AS what, last_autovacuum AS at FROM pg_stat_user_tables WHERE last_autovacuum >= $1
         UNION ALL SELECT relname, 'analyze', last_autoanalyze FROM pg_stat_user_tables WHERE last_autoanalyze >= $1 ORDER BY at`,
        [new Date(aStartedAt)],
      )
    ).rows as { relname: string; what: string; at: Date }[];
    const slowest = [...tickAt].sort((x, y) => y.ms - x.ms).slice(0, 5);
    process.stderr.write(
      `(a) slowest ticks: ${slowest.map((t) => `#${t.k} ${Math.round(t.ms)} ms at +${(t.atMs / 1000).toFixed(1)} s`).join(', ')}; ` +
        `autovacuum/autoanalyze ending during (a): ${
          maintenance.map((m) => `${m.what} ${m.relname} at +${((m.at.getTime() - aStartedAt) / 1000).toFixed(1)} s`).join(', ') || 'none'
        }\n`,
    );

    // (b) BURST resting orders crossed by one tick, paired with BURST market orders through HTTP.
    const agent = burstAgent(MARKET_CONNECTIONS);
    const target = new URL(app.url);
    const marketIds: { id: string; user: number }[] = [];
    const rounds: { triggerMs: number; triggerEventsMs: number; marketMs: number; marketNon201: number; ratio: number; first: 'trigger' | 'market' }[] = [];
    for (let r = 0; r < BURST_ROUNDS; r++) {
      const band = orders.filter((o) => o.crossedBy && 'burst' in o.crossedBy && o.crossedBy.burst === r);
      const ids = band.map((o) => o.id!);
      const trigger = async (): Promise<{ ms: number; eventsMs: number }> => {
        const expected = new Map(band.map((o) => [`order:${o.id}`, owner(o.user)]));
        const tick = feed.tick({ ETH: burstTick(r) });
        const events = sockets!.expect(expected, 300_000);
        events.catch(() => undefined);
        for (;;) {
          const [{ closed }] = (await pg.query(`SELECT count(*)::int AS closed FROM orders WHERE id = ANY($1::uuid[]) AND status <> 'open'`, [ids])).rows as {
            closed: number;
          }[];
          if (closed === ids.length) break;
          if (performance.now() - tick.sentAt > 300_000) throw new Error(`burst ${r}: only ${closed} of ${ids.length} orders closed after 300 s`);
          await new Promise((res) => setTimeout(res, 10));
        }
        const polled = performance.now() - tick.sentAt;
        const eventsMs = (await events) - tick.sentAt;
        // Each fill's event is published after its commit, so the last event bounds the posting from above as
        // closely as the poll does (which adds up to its interval and a query); the earlier of the two counts.
        return { ms: Math.min(polled, eventsMs), eventsMs };
      };
      const market = async (): Promise<{ ms: number; non201: number }> => {
        const t0 = performance.now();
        const answers = await Promise.all(
          Array.from({ length: BURST }, (_, i) =>
            send(
              agent,
              target,
              { method: 'POST', path: '/api/orders', headers: users[i % USERS].auth, body: { symbol: 'ETH', side: 'buy', type: 'market', quoteAmount: '10' } },
              120_000,
              true,
            ).then((a) => ({ ...a, user: i % USERS })),
          ),
        );
        const ms = performance.now() - t0;
        let non201 = 0;
        for (const a of answers) {
          const order = (a.body as { order?: { id: string; status: string } } | undefined)?.order;
          if (a.status === 201 && order?.status === 'filled') marketIds.push({ id: order.id, user: a.user });
          else non201++;
        }
        // Their order_filled events too, before the next measurement starts.
        const placed = marketIds.slice(marketIds.length - (BURST - non201));
        await sockets!
          .expect(new Map(placed.map((m) => [`order:${m.id}`, owner(m.user)])), 60_000)
          .catch((e: Error) => violations.push(`market burst ${r}: ${e.message}`));
        return { ms, non201 };
      };
      const first = r % 2 === 0 ? 'trigger' : 'market';
      let t: { ms: number; eventsMs: number };
      let m: { ms: number; non201: number };
      if (first === 'trigger') {
        t = await trigger();
        m = await market();
      } else {
        m = await market();
        t = await trigger();
      }
      if (m.non201) violations.push(`market burst ${r}: ${m.non201} of ${BURST} orders not answered 201 filled`);
      rounds.push({ triggerMs: t.ms, triggerEventsMs: t.eventsMs, marketMs: m.ms, marketNon201: m.non201, ratio: t.ms / m.ms, first });
      process.stderr.write(
        `burst ${r}: ${BURST} crossed in ${t.ms.toFixed(0)} ms (events ${t.eventsMs.toFixed(0)} ms), ${BURST} market orders in ${m.ms.toFixed(0)} ms\n`,
      );
    }
    agent.destroy();
    await new Promise((r) => setTimeout(r, 2_000));

    // Correctness: nothing fired twice, nothing fired that was not crossed.
    const countsBy = async (sql: string, params: unknown[] = []): Promise<Map<string, number>> =>
      new Map(((await pg.query(sql, params)).rows as { id: string; n: number }[]).map((r) => [r.id, r.n]));
    const fillJournals = await countsBy(
      `SELECT substring(reference FROM 7 FOR 36) AS id, count(*)::int AS n FROM ledger_journals WHERE reference LIKE 'order:%:fill' GROUP BY 1`,
    );
    const orderNotices = await countsBy(`SELECT data -> 'order' ->> 'id' AS id, count(*)::int AS n FROM notifications WHERE type = 'order_filled' GROUP BY 1`);
    const alertNotices = await countsBy(
      `SELECT data -> 'alert' ->> 'id' AS id, count(*)::int AS n FROM notifications WHERE type = 'alert_triggered' GROUP BY 1`,
    );
    const orderRows = new Map(
      (
        (await pg.query(`SELECT id, status FROM orders WHERE type IN ('limit', 'stop') OR id = ANY($1::uuid[])`, [marketIds.map((m) => m.id)])).rows as {
          id: string;
          status: string;
        }[]
      ).map((r) => [r.id, { status: r.status, fills: fillJournals.get(r.id) ?? 0, notices: orderNotices.get(r.id) ?? 0 }]),
    );
    const alertRows = new Map(
      ((await pg.query(`SELECT id, active, triggered_at IS NOT NULL AS fired FROM alerts`)).rows as { id: string; active: boolean; fired: boolean }[]).map(
        (r) => [r.id, { ...r, notices: alertNotices.get(r.id) ?? 0 }],
      ),
    );
    const bad: Record<string, number> = {};
    const flag = (what: string): void => void (bad[what] = (bad[what] ?? 0) + 1);
    for (const o of orders) {
      const row = orderRows.get(o.id!);
      const events = sockets.counts(`order:${o.id}`, owner(o.user));
      if (!row) flag('resting order missing from the database');
      else if (o.crossedBy) {
        if (row.status !== 'filled') flag(`crossed order ${row.status}, not filled`);
        if (row.fills !== 1) flag(`crossed order with ${row.fills} fill journals`);
        if (row.notices !== 1) flag(`crossed order with ${row.notices} notifications`);
        if (events.some((n) => n !== 1)) flag('crossed order whose event did not arrive exactly once');
      } else {
        if (row.status !== 'open' || row.fills !== 0) flag('order that no tick crossed is not open');
        if (events.some((n) => n !== 0)) flag('event for an order that no tick crossed');
      }
    }
    for (const a of alerts) {
      const row = alertRows.get(a.id!);
      const events = sockets.counts(`alert:${a.id}`, owner(a.user));
      if (!row) flag('alert missing from the database');
      else if (a.crossedBy) {
        if (row.active || !row.fired) flag('crossed alert not fired');
        if (row.notices !== 1) flag(`crossed alert with ${row.notices} notifications`);
        if (events.some((n) => n !== 1)) flag('crossed alert whose event did not arrive exactly once');
      } else {
        if (!row.active || row.fired || row.notices !== 0) flag('alert that no tick crossed is not armed');
        if (events.some((n) => n !== 0)) flag('event for an alert that no tick crossed');
      }
    }
    for (const m of marketIds) {
      const row = orderRows.get(m.id);
      if (!row || row.status !== 'filled' || row.fills !== 1) flag('market order not filled exactly once');
      if (sockets.counts(`order:${m.id}`, owner(m.user)).some((n) => n !== 1)) flag('market order whose event did not arrive exactly once');
    }
    const duplicates = sockets.sockets.reduce((n, s) => n + [...s.events.values()].filter((times) => times.length > 1).length, 0);
    if (duplicates) flag(`${duplicates} /ws/user events delivered twice`);
    for (const [what, n] of Object.entries(bad)) violations.push(`${n} × ${what}`);
    const reconcile = await runReconcile(db.url);
    if (reconcile.code !== 0) violations.push(`reconcile exited ${reconcile.code}: ${reconcile.output.slice(-2000)}`);

    const a = {
      ticks: TICKS,
      perTick: { orders: TICK_ORDERS, alerts: TICK_ALERTS },
      measured: tickLatencies.length,
      p50: Math.round(percentile(sortedTicks, 50)),
      p99: Math.round(percentile(sortedTicks, 99)),
      max: Math.round(percentile(sortedTicks, 100)),
      firstEventP50: Math.round(percentile(sortedFirst, 50)),
      firstEventP99: Math.round(percentile(sortedFirst, 99)),
      slowest: slowest.map((t) => ({ tick: t.k, ms: Math.round(t.ms), atSeconds: Math.round(t.atMs / 100) / 10 })),
      maintenanceDuring: maintenance.map((m) => ({ table: m.relname, what: m.what, atSeconds: Math.round((m.at.getTime() - aStartedAt) / 100) / 10 })),
    };
    const b = {
      burst: BURST,
      rounds,
      triggerMs: median(rounds.map((x) => x.triggerMs)),
      marketMs: median(rounds.map((x) => x.marketMs)),
      ratio: median(rounds.map((x) => x.ratio)),
      marketConnections: MARKET_CONNECTIONS,
    };
    const lines = [
      `${USERS} users, ${ORDERS} resting orders and ${ALERTS} alerts (seeded through the API in ${seeded.seconds.toFixed(1)} s, ${seeded.perSecond.toFixed(0)}/s), one app on PostgreSQL + Redis, prices from a fake Binance stream${cpus ? `, app on CPU ${cpus.servers}, bench on CPU ${cpus.load}` : ''}, node ${process.version}`,
      '',
      '| measure | value |',
      '|---|---|',
      `| (a) tick crossing ${TICK_ORDERS} orders + ${TICK_ALERTS} alerts → last of their /ws/user events (after the fills committed), ${a.measured}/${TICKS} ticks | p50 ${a.p50} ms, p99 **${a.p99} ms**, max ${a.max} ms (first event p50 ${a.firstEventP50} ms, p99 ${a.firstEventP99} ms) |`,
      ...rounds.map(
        (x, i) =>
          `| (b) round ${i + 1} (${x.first} first): ${BURST} resting orders posted after one tick / ${BURST} market orders over HTTP | ${x.triggerMs.toFixed(0)} ms (events ${x.triggerEventsMs.toFixed(0)} ms) / ${x.marketMs.toFixed(0)} ms = ${x.ratio.toFixed(2)} |`,
      ),
      `| (b) median ratio (goal ≤ 1.2) | **${b.ratio.toFixed(2)}** |`,
      `| reconcile | ${reconcile.code === 0 ? 'clean' : `VIOLATIONS (exit ${reconcile.code})`} |`,
      `| correctness | ${violations.length ? `**${violations.length} violation(s)**` : 'every crossed trigger fired once, nothing else fired, every event delivered once'} |`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (violations.length) process.stderr.write(`VIOLATIONS:\n${violations.map((v) => `  - ${v}`).join('\n')}\n`);
    writeBenchJson({
      bench: 'triggers',
      users: USERS,
      orders: ORDERS,
      alerts: ALERTS,
      seed: { via: 'http-api', seconds: seeded.seconds, perSecond: seeded.perSecond, usersSeconds },
      cpus: cpus ? { servers: cpus.servers, load: cpus.load } : null,
      tick: a,
      burst: b,
      reconcile: reconcile.code === 0 ? 'clean' : `VIOLATIONS (exit ${reconcile.code})`,
      violations,
    });
  } finally {
    sockets?.closeAll();
    await pg.end().catch(() => undefined);
    await app?.stop();
    await feed.stop();
    await mail.stop();
    await db.drop();
  }
  if (violations.length) throw new Error(`${violations.length} correctness violation(s); see above`);
}

runScript(main);
