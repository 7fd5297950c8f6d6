/**
 * Money core throughput: authenticated market orders per second over HTTP
 * against PostgreSQL, next to pgbench's TPC-B-like transactions per second
 * on the same PostgreSQL. Run once (it writes bench/RESULTS.md):
 *
 *   npm run bench:orders
 *
 * Needs PostgreSQL (TEST_DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres),
 * Redis (TEST_REDIS_URL) and /usr/bin/pgbench. Creates and drops its own databases.
 * env: CV_APP_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) goes to the app's node only;
 * ORDERS_SECONDS (20), ORDERS_WARMUP_SECONDS (10: the same load first, not counted), PGBENCH_SECONDS (20); BENCH_JSON: write the figures to that
 * file instead of rewriting this section of RESULTS.md (bench/run-all.mjs owns the file then).
 */
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { pgAdmin, runAppsAsShipped, writeBenchJson } from './support/bench-util';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { startApp, suiteEnv } from '../e2e/support/app';
import { databaseUrl, PG_ADMIN_URL } from '../e2e/support/env';
import { createUser, TestUser } from '../e2e/support/factories';
import { fund, runReconcile, waitForPrices } from '../e2e/support/money';
import { SmtpSink } from '../e2e/support/smtp';

const USERS = 16;
const CONNECTIONS = 16;
const DURATION_S = Number(process.env.ORDERS_SECONDS ?? 20);
const WARMUP_S = Number(process.env.ORDERS_WARMUP_SECONDS ?? 10);
const PGBENCH_ARGS = ['-c', '16', '-T', String(Number(process.env.PGBENCH_SECONDS ?? 20))];
const RESULTS = join(__dirname, 'RESULTS.md');
const HEADING = '## Money core: orders vs pgbench';

async function ordersPerSecond(): Promise<{ rps: number; total: number; non2xx: number; errors: number; p50: number; p99: number; reconcile: string }> {
  const name = `cv_bench_orders_${randomBytes(4).toString('hex')}`;
  await pgAdmin(`CREATE DATABASE "${name}"`);
  const mail = await SmtpSink.start();
  const env = suiteEnv(databaseUrl(name), { SMTP_URL: mail.url, RATE_LIMIT_SCALE: '100000', SIMULATED_VOLATILITY: '0', LOG_LEVEL: 'warn' });
  const dropDatabase = () => pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  // An app that never comes up leaves no scratch database behind either.
  runAppsAsShipped();
  const app = await startApp(env, { timeoutMs: 60_000 }).catch(async (e: unknown) => {
    await mail.stop();
    await dropDatabase();
    throw e;
  });
  try {
    const operator = await createUser(app, mail, { admin: true });
    const users: TestUser[] = [];
    for (let i = 0; i < USERS; i += 4) users.push(...(await Promise.all(Array.from({ length: 4 }, () => createUser(app, mail)))));
    await Promise.all(users.map((u) => fund(app, operator, u, 'USD', '100000000')));
    await waitForPrices(app);
    let next = 0;
    const body = JSON.stringify({ symbol: 'BTC', side: 'buy', type: 'market', quoteAmount: '10' });
    const load = (duration: number) =>
      autocannon({
        url: app.url,
        connections: CONNECTIONS,
        duration,
        requests: [
          {
            method: 'POST',
            path: '/api/orders',
            setupRequest: (req) => ({
              ...req,
              headers: { 'content-type': 'application/json', authorization: users[next++ % users.length].auth.Authorization },
              body,
            }),
          },
        ],
      });
    // The same load, not counted, first: V8 compiles the order path while it runs (the first
    // seconds of a cold process are JIT-bound, not database-bound). Its orders are real and
    // are reconciled with the rest.
    if (WARMUP_S > 0) await load(WARMUP_S);
    const result = await load(DURATION_S);
    const reconcile = await runReconcile(databaseUrl(name));
    return {
      rps: result.requests.average,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      p50: result.latency.p50,
      p99: result.latency.p99,
      reconcile: reconcile.code === 0 ? 'clean' : `VIOLATIONS (exit ${reconcile.code})`,
    };
  } finally {
    await app.stop();
    await mail.stop();
    await dropDatabase();
  }
}

function pgbenchTps(): { tps: number; output: string; command: string } {
  const name = `cv_bench_pgbench_${randomBytes(4).toString('hex')}`;
  const u = new URL(PG_ADMIN_URL);
  const conn = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres')];
  const pgEnv = { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) };
  execFileSync('createdb', [...conn, name], { env: pgEnv });
  try {
    execFileSync('/usr/bin/pgbench', [...conn, '-i', '-q', name], { env: pgEnv, stdio: 'pipe' });
    const output = execFileSync('/usr/bin/pgbench', [...conn, ...PGBENCH_ARGS, name], { env: pgEnv, encoding: 'utf8' });
    const m = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(output) ?? /tps = ([\d.]+)/.exec(output);
    if (!m) throw new Error(`could not read tps from pgbench:\n${output}`);
    return { tps: Number(m[1]), output, command: `pgbench ${[...conn, ...PGBENCH_ARGS].join(' ')} <scratch db>  (after pgbench -i, scale 1)` };
  } finally {
    execFileSync('dropdb', [...conn, '--force', name], { env: pgEnv });
  }
}

async function main(): Promise<void> {
  const started = new Date();
  // pgbench just before and just after the orders: the machine is shared, and its load drifts
  // within a minute; the mean of the two brackets the orders phase.
  const pgBefore = pgbenchTps();
  const orders = await ordersPerSecond();
  const pgAfter = pgbenchTps();
  const pgTps = (pgBefore.tps + pgAfter.tps) / 2;
  const ratio = orders.rps / pgTps;
  const pgVersion = execFileSync('/usr/bin/pgbench', ['--version'], { encoding: 'utf8' }).trim();
  const section = [
    HEADING,
    '',
    `Run ${started.toISOString()} on ${cpus().length} CPU cores (${cpus()[0]?.model ?? 'unknown'}), shared with other engineers' work at the time — figures are indicative, not a capacity claim.`,
    '',
    `Command: \`npm run bench:orders\` (builds, then runs bench/orders.ts in place).`,
    '',
    '| measure | value |',
    '|---|---|',
    `| market orders/s over HTTP (autocannon, ${CONNECTIONS} connections, ${DURATION_S} s after ${WARMUP_S} s of the same load not counted, ${USERS} pre-funded users, one app process, PostgreSQL + Redis) | **${orders.rps.toFixed(1)}** |`,
    `| orders completed / non-2xx / socket errors | ${orders.total} / ${orders.non2xx} / ${orders.errors} |`,
    `| order latency p50 / p99 | ${orders.p50} ms / ${orders.p99} ms |`,
    `| reconcile after the run | ${orders.reconcile} |`,
    `| pgbench TPS (\`${pgBefore.command}\`, ${pgVersion}), mean of a run just before and one just after the orders | **${pgTps.toFixed(1)}** (${pgBefore.tps.toFixed(1)} / ${pgAfter.tps.toFixed(1)}) |`,
    `| ratio orders/s ÷ mean pgbench TPS (goal ≥ 1.5, p99 < 50 ms) | **${ratio.toFixed(2)}** ${ratio >= 1.5 && orders.p99 < 50 ? '(goal met)' : '(goal NOT met)'} |`,
    '',
    'Each market order (no Idempotency-Key) is written by ONE statement outside a transaction, a named prepared',
    "statement (parsed and planned once per connection): debit the user's rows by a guarded `UPDATE` (the CHECK refuses an",
    'overdraft), journal + entries, cost basis, the order row, then the platform rows (`platform:treasury` USD and BTC,',
    '`platform:fees` USD, each sharded over LEDGER_PLATFORM_SHARDS rows) by one sorted upsert, and the commit. Orders that',
    'arrive while ORDER_BATCH_CONCURRENCY (2) such statements are in flight queue and go together in the next one (one per',
    'user; a statement refused as a whole is posted order by order), so under load one commit carries many orders. Around',
    "it: JWT verification (the signature once per token, then its expiry; the user's and session's state from the",
    'per-process cache that PostgreSQL notifications invalidate), the Redis rate-limit counter, validation, and the',
    '`/ws/user` event published to Redis. pgbench tpcb-like at scale 1 serialises on one branch row.',
    '',
    '<details><summary>pgbench output (before, then after the orders)</summary>',
    '',
    '```',
    pgBefore.output.trim(),
    '```',
    '',
    '```',
    pgAfter.output.trim(),
    '```',
    '</details>',
    '',
  ].join('\n');
  if (process.env.BENCH_JSON) {
    writeBenchJson({
      bench: 'orders',
      seconds: DURATION_S,
      connections: CONNECTIONS,
      users: USERS,
      orders,
      pgbench: { before: pgBefore.tps, after: pgAfter.tps, mean: pgTps, command: pgBefore.command, version: pgVersion },
      ratio,
    });
    process.stdout.write(`${section}\n`);
    return;
  }
  const existing = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '# Benchmarks\n\n';
  const start = existing.indexOf(HEADING);
  let updated: string;
  if (start === -1) updated = `${existing.trimEnd()}\n\n${section}`;
  else {
    const after = existing.indexOf('\n## ', start + HEADING.length);
    updated = existing.slice(0, start) + section + (after === -1 ? '' : existing.slice(after + 1));
  }
  writeFileSync(RESULTS, updated);
  process.stdout.write(`${section}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
