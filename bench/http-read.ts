/**
 * HTTP read-path benchmark (not a test): GET /api/crypto requests/s on
 * CryptoVault vs a bare Express 5 server and a bare Node `http` server
 * answering the same JSON body.
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

async function measure(url: string, pid: number, seconds: number): Promise<Result> {
  const cpu0 = cpuMs(pid);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: seconds });
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

async function main(): Promise<void> {
  // LOG_LEVEL info: to see the backfill finish; successful requests log at debug, so nothing per request.
  const cpus = splitCpus();
  const app = await startBenchApp({ LOG_LEVEL: 'info' });
  cpus?.pinServer(app.process.pid!);
  const settled = await waitFor(() => /history backfilled|backfill stopped/.test(app.output()), 120_000);
  if (!settled) process.stderr.write('warning: the history backfill had not finished after 120 s; measuring anyway\n');
  const body = await (await fetch(`${app.url}/api/crypto`)).text();
  const ex = await startBaseline('bare-http-servers', { KIND: 'express', BODY: body });
  const raw = await startBaseline('bare-http-servers', { KIND: 'http', BODY: body });
  for (const b of [ex, raw]) cpus?.pinServer(b.child.pid!);
  const servers = [
    { name: 'CryptoVault GET /api/crypto', url: `${app.url}/api/crypto`, pid: app.process.pid!, runs: [] as Result[] },
    { name: 'bare Express 5', url: `http://127.0.0.1:${ex.port}/api/crypto`, pid: ex.child.pid!, runs: [] as Result[] },
    { name: 'bare node:http', url: `http://127.0.0.1:${raw.port}/api/crypto`, pid: raw.child.pid!, runs: [] as Result[] },
  ];
  try {
    for (const s of servers) await measure(s.url, s.pid, WARMUP_SECONDS);
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of servers) s.runs.push(await measure(s.url, s.pid, SECONDS));
      const [cv, ex1] = [servers[0].runs[round], servers[1].runs[round]];
      process.stderr.write(
        `round ${round + 1}: ${servers.map((s) => `${s.name} ${s.runs[round].rps.toFixed(0)} req/s ${s.runs[round].cpuUs.toFixed(0)} µs`).join(', ')}; ` +
          `÷ Express ${(cv.rps / ex1.rps).toFixed(2)} (req/s), ${(ex1.cpuUs / cv.cpuUs).toFixed(2)} (CPU)\n`,
      );
    }
  } finally {
    await app.stop();
    await stopChild(ex.child);
    await stopChild(raw.child);
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
  const cv = med[0];
  const roundRatios = servers[0].runs.map((r, i) => r.rps / servers[1].runs[i].rps);
  const perRoundRatio = roundRatios.map((x) => x.toFixed(2)).join(' / ');
  const pairedRatio = median(roundRatios);
  const perRoundCpu = servers[0].runs.map((r, i) => (servers[1].runs[i].cpuUs / r.cpuUs).toFixed(2)).join(' / ');
  const lines = [
    `body ${Buffer.byteLength(body)} bytes, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each (after ${WARMUP_SECONDS} s warm-up), ${cpus ? `servers on CPU ${cpus.servers}, autocannon on CPU ${cpus.load}` : 'CPUs shared'}, node ${process.version}`,
    '',
    '| server | req/s (median) | req/s per round | p50 | p99 | non-2xx | CPU per request | CryptoVault ÷ this, req/s | CryptoVault ÷ this, CPU (this µs ÷ CV µs) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...med.map(
      (m) =>
        `| ${m.name} | ${m.rps.toFixed(0)} | ${m.perRound} | ${m.p50} ms | ${m.p99} ms | ${m.non2xx} | ${m.cpuUs.toFixed(0)} µs | ` +
        `${(cv.rps / m.rps).toFixed(2)} | ${(m.cpuUs / cv.cpuUs).toFixed(2)} |`,
    ),
    '',
    `CryptoVault ÷ bare Express 5 per round: req/s ${perRoundRatio}; CPU ${perRoundCpu}`,
    `median of the per-round ratios (req/s): ${pairedRatio.toFixed(2)}`,
  ];
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
    expressRoundRatios: roundRatios,
    expressPairedRatio: pairedRatio,
  });
}

runScript(main);
