/**
 * HTTP read-path benchmark (not a test): GET /api/crypto requests/s on
 * CryptoVault vs a bare Express 5 server and a bare Node `http` server
 * answering the same JSON body; and an authenticated read, GET
 * /api/wallet/balance with the Bearer token of a user this script signs up
 * (SMTP sink for the verification code) and logs in, vs a bare Express 5
 * answering that user's balance body (the same Authorization header sent to
 * both, ignored by Express): its ratio is the cost of the JWT guard, the
 * throttler and the database read, which the public route never shows.
 *
 * The three servers run side by side and are measured in turns (CryptoVault,
 * Express, http; repeated ROUNDS times), each after a short warm-up, so that
 * the load other processes put on a shared machine falls on all three alike;
 * the table reports the median of the rounds and the ratio of the medians, and
 * the median of the per-round ratios (each round's CryptoVault figure over the
 * Express figure measured right after it), which cancels the machine's drift
 * between rounds: the goal is judged on that one.
 * CryptoVault is measured only once its boot-time history backfill is done.
 * Requests/s on a contended machine swing with the other processes' bursts;
 * the CPU time each server process spent per request (utime + stime from
 * /proc, over the same windows) is the steadier measure of per-request
 * overhead, and is reported beside it.
 *
 *   npm run bench:http
 *   env: SECONDS (5), ROUNDS (3), CONNECTIONS (50), WARMUP_SECONDS (2), BENCH_DATABASE_URL (unset → PGlite),
 *        BENCH_JSON (a file for the medians, read by bench/run-all.mjs), PIN_CPUS (1: servers and autocannon on separate CPUs)
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { SmtpSink } from '../e2e/support/smtp';
import { cpuMs, median, runScript, splitCpus, startBaseline, startBenchApp, stopChild, writeBenchJson } from './support/bench-util';

const SECONDS = Number(process.env.SECONDS ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? 2);

interface Result {
  rps: number;
  /** Server CPU (user + system) per request, microseconds. */
  cpuUs: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function measure(url: string, pid: number, seconds: number, headers: Record<string, string> = {}): Promise<Result> {
  const cpu0 = cpuMs(pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
  const cpu = cpuMs(pid) - cpu0;
  return { rps: r.requests.average, cpuUs: (cpu * 1000) / Math.max(1, r.requests.total), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
  return true;
}

async function post(url: string, body: unknown, expected: number): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== expected) throw new Error(`POST ${url}: expected ${expected}, got ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Signs up a user through the real API (the verification code from the SMTP sink), logs in: its access token. */
async function signedInUser(appUrl: string, mail: SmtpSink): Promise<string> {
  const email = `bench-${randomBytes(6).toString('hex')}@example.com`;
  const password = `Pw-${randomBytes(6).toString('hex')}-9x`;
  await post(`${appUrl}/api/auth/signup`, { email, password, name: 'Bench Reader' }, 201);
  const message = await mail.waitFor(email, (m) => /verification code/i.test(m.subject), 30_000);
  const code = /\b(\d{6})\b/.exec(message.text)?.[1];
  if (!code) throw new Error(`no code in the verification mail to ${email}`);
  await post(`${appUrl}/api/auth/verify-email`, { email, code }, 200);
  const login = await post(`${appUrl}/api/auth/login`, { email, password }, 200);
  return String(login.accessToken);
}

async function main(): Promise<void> {
  // LOG_LEVEL info: to see the backfill finish; successful requests log at debug, so nothing per request.
  const cpus = splitCpus();
  const mail = await SmtpSink.start();
  const app = await startBenchApp({ LOG_LEVEL: 'info', SMTP_URL: mail.url }).catch(async (e: unknown) => {
    await mail.stop();
    throw e;
  });
  cpus?.pinServer(app.process.pid!);
  const settled = await waitFor(() => /history backfilled|backfill stopped/.test(app.output()), 120_000);
  if (!settled) process.stderr.write('warning: the history backfill had not finished after 120 s; measuring anyway\n');
  const stopApp = async () => {
    await app.stop();
    await mail.stop();
  };
  let token: string, body: string, authBody: string;
  try {
    token = await signedInUser(app.url, mail);
    body = await (await fetch(`${app.url}/api/crypto`)).text();
    const balance = await fetch(`${app.url}/api/wallet/balance`, { headers: { authorization: `Bearer ${token}` } });
    authBody = await balance.text();
    if (balance.status !== 200) throw new Error(`GET /api/wallet/balance: ${balance.status} ${authBody}`);
  } catch (e) {
    await stopApp();
    throw e;
  }
  const auth = { authorization: `Bearer ${token}` };
  const ex = await startBaseline('bare-http-servers', { KIND: 'express', BODY: body });
  const raw = await startBaseline('bare-http-servers', { KIND: 'http', BODY: body });
  const exAuth = await startBaseline('bare-http-servers', { KIND: 'express', BODY: authBody, ROUTE: '/api/wallet/balance' });
  for (const b of [ex, raw, exAuth]) cpus?.pinServer(b.child.pid!);
  // Measured in this order each round; [0]÷[1] is the public paired ratio, [3]÷[4] the authenticated one.
  const servers = [
    { name: 'CryptoVault GET /api/crypto', url: `${app.url}/api/crypto`, pid: app.process.pid!, headers: {}, runs: [] as Result[] },
    { name: 'bare Express 5', url: `http://127.0.0.1:${ex.port}/api/crypto`, pid: ex.child.pid!, headers: {}, runs: [] as Result[] },
    { name: 'bare node:http', url: `http://127.0.0.1:${raw.port}/api/crypto`, pid: raw.child.pid!, headers: {}, runs: [] as Result[] },
    { name: 'CryptoVault GET /api/wallet/balance (Bearer)', url: `${app.url}/api/wallet/balance`, pid: app.process.pid!, headers: auth, runs: [] as Result[] },
    {
      name: 'bare Express 5, balance body',
      url: `http://127.0.0.1:${exAuth.port}/api/wallet/balance`,
      pid: exAuth.child.pid!,
      headers: auth,
      runs: [] as Result[],
    },
  ];
  try {
    for (const s of servers) await measure(s.url, s.pid, WARMUP_SECONDS, s.headers);
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of servers) s.runs.push(await measure(s.url, s.pid, SECONDS, s.headers));
      const [cv, ex1, , cvAuth, exAuth1] = servers.map((s) => s.runs[round]);
      process.stderr.write(
        `round ${round + 1}: ${servers.map((s) => `${s.name} ${s.runs[round].rps.toFixed(0)} req/s ${s.runs[round].cpuUs.toFixed(0)} µs`).join(', ')}; ` +
          `÷ Express ${(cv.rps / ex1.rps).toFixed(2)} (req/s), ${(ex1.cpuUs / cv.cpuUs).toFixed(2)} (CPU); ` +
          `authenticated ÷ Express ${(cvAuth.rps / exAuth1.rps).toFixed(2)} (req/s), ${(exAuth1.cpuUs / cvAuth.cpuUs).toFixed(2)} (CPU)\n`,
      );
    }
  } finally {
    await stopApp();
    await stopChild(ex.child);
    await stopChild(raw.child);
    await stopChild(exAuth.child);
  }

  const med = servers.map((s) => ({
    name: s.name,
    rps: median(s.runs.map((r) => r.rps)),
    cpuUs: median(s.runs.map((r) => r.cpuUs)),
    p50: median(s.runs.map((r) => r.p50)),
    p99: median(s.runs.map((r) => r.p99)),
    non2xx: s.runs.reduce((n, r) => n + r.non2xx, 0),
    perRound: s.runs.map((r) => r.rps.toFixed(0)).join(' / '),
  }));
  /** Each round's CryptoVault figure (server `a`) over the Express one measured right after it (server `b`). */
  const paired = (a: number, b: number) => {
    const ratios = servers[a].runs.map((r, i) => r.rps / servers[b].runs[i].rps);
    const cpu = servers[a].runs.map((r, i) => (servers[b].runs[i].cpuUs / r.cpuUs).toFixed(2)).join(' / ');
    return { ratios, median: median(ratios), text: ratios.map((x) => x.toFixed(2)).join(' / '), cpu };
  };
  const pub = paired(0, 1);
  const authed = paired(3, 4);
  const row = (m: (typeof med)[number], cv: (typeof med)[number]) =>
    `| ${m.name} | ${m.rps.toFixed(0)} | ${m.perRound} | ${m.p50} ms | ${m.p99} ms | ${m.non2xx} | ${m.cpuUs.toFixed(0)} µs | ` +
    `${(cv.rps / m.rps).toFixed(2)} | ${(m.cpuUs / cv.cpuUs).toFixed(2)} |`;
  const lines = [
    `body ${Buffer.byteLength(body)} bytes (balance ${Buffer.byteLength(authBody)} bytes), ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each (after ${WARMUP_SECONDS} s warm-up), ${cpus ? `servers on CPU ${cpus.servers}, autocannon on CPU ${cpus.load}` : 'CPUs shared'}, node ${process.version}`,
    '',
    '| server | req/s (median) | req/s per round | p50 | p99 | non-2xx | CPU per request | CryptoVault ÷ this, req/s | CryptoVault ÷ this, CPU (this µs ÷ CV µs) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...med.slice(0, 3).map((m) => row(m, med[0])),
    ...med.slice(3).map((m) => row(m, med[3])),
    '',
    `CryptoVault ÷ bare Express 5 per round: req/s ${pub.text}; CPU ${pub.cpu}`,
    `median of the per-round ratios (req/s): ${pub.median.toFixed(2)}`,
    `authenticated (GET /api/wallet/balance, Bearer) ÷ bare Express 5 per round: req/s ${authed.text}; CPU ${authed.cpu}`,
    `median of the per-round ratios (req/s): ${authed.median.toFixed(2)}`,
  ];
  if (med[3].non2xx > 0)
    lines.push(`WARNING: ${med[3].non2xx} non-2xx answers to the authenticated read (rate limit or expired token?): its figure is not a read's`);
  process.stdout.write(`${lines.join('\n')}\n`);
  writeBenchJson({
    bench: 'http-read',
    bodyBytes: Buffer.byteLength(body),
    cpus: cpus ? { servers: cpus.servers, load: cpus.load } : null,
    connections: CONNECTIONS,
    rounds: ROUNDS,
    seconds: SECONDS,
    cryptovault: med[0],
    express: med[1],
    nodeHttp: med[2],
    expressRoundRatios: pub.ratios,
    expressPairedRatio: pub.median,
    authenticated: {
      path: '/api/wallet/balance',
      bodyBytes: Buffer.byteLength(authBody),
      cryptovault: med[3],
      express: med[4],
      expressRoundRatios: authed.ratios,
      expressPairedRatio: authed.median,
    },
  });
}

runScript(main);
