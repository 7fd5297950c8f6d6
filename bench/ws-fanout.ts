/**
 * WebSocket fan-out benchmark (not a test): N concurrent clients on one
 * instance's /ws/prices; tick delivery latency (frame timestamp → client
 * receipt) p50/p99, server CPU per tick and server RSS with the clients as the only load, and
 * GET /api/prices p50/p99 at a fixed rate while the broadcasts continue;
 * beside the same clients on a bare `ws` broadcast server sending frames of
 * the same size. Rounds alternate between the two servers (both stay up; the
 * one without clients is idle) and the medians of the rounds are compared, as
 * is each CryptoVault round with the bare round right after it (the median of
 * those ratios cancels the machine's drift between rounds; the goal is judged on it).
 * The servers run on the first half of the CPUs and the clients on the rest (see splitCpus; PIN_CPUS=0 turns it off).
 * Memory: each server's RSS just before its first clients connect (idle) and its peak with them; the RSS the clients
 * add (peak − idle) of CryptoVault over the bare server's is the figure issue 22 asks about (≤ 1.5).
 *
 *   npm run build && npx tsc -p bench/tsconfig.json && node bench/dist/bench/ws-fanout.js
 *   env: CLIENTS (5000), SECONDS (10: each window), ROUNDS (5), HTTP_SECONDS (5: each GET /api/prices run),
 *        BENCH_DATABASE_URL (unset → a scratch database on TEST_DATABASE_ADMIN_URL's PostgreSQL, dropped after;
 *        BENCH_PGLITE=1 → the embedded default), BENCH_JSON (a file for the figures, read by bench/run-all.mjs),
 *        PIN_CPUS (1: servers and clients on separate CPUs)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { median, percentile, rssMb, runScript, splitCpus, startBaseline, startWsBenchApp, stopChild, writeBenchJson } from './support/bench-util';
import { fanOut, type Run } from './support/ws-clients';

const CLIENTS = Number(process.env.CLIENTS ?? 5_000);
const SECONDS = Number(process.env.SECONDS ?? 10);
const HTTP_SECONDS = Number(process.env.HTTP_SECONDS ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
/** autocannon CLI in its own process, at a fixed 200 req/s (latency under load, not saturation: the machine has 2 cores). */
function autocannon(url: string, seconds: number): Promise<{ p50: number; p99: number; rps: number; non2xx: number; errors: number }> {
  return new Promise((resolve, reject) => {
    const bin = join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'autocannon');
    const child = spawn(bin, ['-j', '-c', '10', '-R', '200', '-d', String(seconds), url], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', () => {
      try {
        const r = JSON.parse(out) as { latency: { p50: number; p99: number }; requests: { average: number }; non2xx: number; errors: number };
        resolve({ p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average, non2xx: r.non2xx, errors: r.errors });
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

interface Summary {
  connected: number;
  p50: number;
  p99: number;
  max: number;
  ticksPerClient: number;
  cpuPerTickMs: number;
  rssMb: number;
}

const summary = (r: Run, rss: number): Summary => ({
  connected: r.connected,
  p50: percentile(r.latencies, 50),
  p99: percentile(r.latencies, 99),
  max: percentile(r.latencies, 100),
  ticksPerClient: r.ticksPerClient,
  cpuPerTickMs: r.cpuPerTickMs,
  rssMb: rss,
});

/** Peak RSS of `pid` while `work` runs. */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<[T, number]> {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 250);
  try {
    return [await work(), peak];
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const cpus = splitCpus();
  const { app, db } = await startWsBenchApp();
  const pid = app.process.pid!;
  cpus?.pinServer(pid);
  const cvUrl = `${app.url.replace('http', 'ws')}/ws/prices`;
  let idleRss = 0;
  /** RSS right before the first clients connect (after the idle GET /api/prices run), and the bare server's before its first. */
  let preClientsRss = 0;
  let bareIdleRss = 0;
  let idleHttp: Awaited<ReturnType<typeof autocannon>> | undefined;

  // Rounds alternate: CryptoVault, then the bare server, ROUNDS times, the same clients
  // reconnecting each time. The machine's load drifts within a minute; alternating puts
  // both servers under the same drift, and the medians of the rounds are compared.
  const cvRounds: Summary[] = [];
  const bareRounds: Summary[] = [];
  let loadedHttp: Awaited<ReturnType<typeof autocannon>> | undefined;
  let duringLatencies: number[] = [];
  let frameBytes = 0;
  let bare: Awaited<ReturnType<typeof startBaseline>> | undefined;
  try {
    await new Promise((r) => setTimeout(r, 2_000));
    idleRss = rssMb(pid);
    idleHttp = await autocannon(`${app.url}/api/prices`, HTTP_SECONDS);
    preClientsRss = rssMb(pid);
    for (let round = 1; round <= ROUNDS; round++) {
      // The first round also measures GET /api/prices while the broadcasts go on.
      const [cv, cvRss] = await peakRss(pid, () =>
        fanOut(cvUrl, pid, CLIENTS, SECONDS, round === 1 ? async () => void (loadedHttp = await autocannon(`${app.url}/api/prices`, HTTP_SECONDS)) : undefined),
      );
      cvRounds.push(summary(cv, cvRss));
      if (round === 1) {
        duringLatencies = cv.duringLatencies;
        frameBytes = cv.frameBytes;
        // The bare server sends frames of the same size: CryptoVault's own frame, its timestamp filled in at each broadcast.
        bare = await startBaseline('bare-ws-server', { FRAME_TEMPLATE: cv.sample.replace(/"timestamp":"[^"]+"}$/, '"timestamp":"%"}') });
        cpus?.pinServer(bare.child.pid!);
        await new Promise((r) => setTimeout(r, 1_000));
        bareIdleRss = rssMb(bare.child.pid!);
      }
      const [base, bareRss] = await peakRss(bare!.child.pid!, () => fanOut(`ws://127.0.0.1:${bare!.port}`, bare!.child.pid!, CLIENTS, SECONDS));
      bareRounds.push(summary(base, bareRss));
    }
  } finally {
    if (bare) await stopChild(bare.child);
    await app.stop();
    await db.drop();
  }

  const combined = (rounds: Summary[]): Summary => ({
    connected: Math.min(...rounds.map((r) => r.connected)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    max: Math.max(...rounds.map((r) => r.max)),
    ticksPerClient: median(rounds.map((r) => r.ticksPerClient)),
    cpuPerTickMs: median(rounds.map((r) => r.cpuPerTickMs)),
    rssMb: Math.max(...rounds.map((r) => r.rssMb)),
  });
  const cv = combined(cvRounds);
  const base = combined(bareRounds);
  // Each CryptoVault round over the bare round right after it: the machine's drift between rounds cancels out.
  const pairedP99Ratio = median(cvRounds.map((r, i) => r.p99 / Math.max(1, bareRounds[i].p99)));
  // The RSS the clients add to each server: its peak over all rounds less its RSS right before its first clients.
  const cvAddedRss = cv.rssMb - preClientsRss;
  const bareAddedRss = base.rssMb - bareIdleRss;
  const addedRssRatio = cvAddedRss / Math.max(1, bareAddedRss);
  const row = (name: string, r: Summary) =>
    `| ${name} | ${r.connected}/${CLIENTS} | ${r.ticksPerClient.toFixed(2)} | ${r.p50} ms | ${r.p99} ms | ${r.max} ms | ${r.cpuPerTickMs.toFixed(0)} ms | ${r.rssMb} MB |`;
  const lines = [
    `clients ${CLIENTS}, window ${SECONDS} s, ${ROUNDS} rounds alternating CryptoVault and bare ws, frame ${frameBytes} bytes (all 20 assets change every tick), app database ${db.url ? 'PostgreSQL' : 'PGlite'}, ${cpus ? `servers on CPU ${cpus.servers}, clients on CPU ${cpus.load}` : 'CPUs shared'}, node ${process.version}`,
    '',
    '| server (median of rounds) | connected | ticks/client in window | p50 | p99 | max | server CPU per tick | server RSS (peak) |',
    '|---|---|---|---|---|---|---|---|',
    row('CryptoVault /ws/prices', cv),
    row('bare ws broadcast', base),
    '',
    `p99 by round (CryptoVault / bare): ${cvRounds.map((r, i) => `${r.p99}/${bareRounds[i].p99} ms`).join(', ')}`,
    `RSS peak by round (CryptoVault / bare): ${cvRounds.map((r, i) => `${r.rssMb}/${bareRounds[i].rssMb} MB`).join(', ')}`,
    `ratio of the median p99s CryptoVault / bare: ${(cv.p99 / Math.max(1, base.p99)).toFixed(2)}; median of the per-round ratios: ${pairedP99Ratio.toFixed(2)}`,
    `RSS: CryptoVault ${idleRss} MB idle, ${preClientsRss} MB right before its first clients, ${cv.rssMb} MB peak (added ${cvAddedRss} MB); ` +
      `bare ws ${bareIdleRss} MB before its first clients, ${base.rssMb} MB peak (added ${bareAddedRss} MB); added RSS ratio ${addedRssRatio.toFixed(2)}`,
    '',
    `| GET /api/prices (autocannon -c 10 -R 200, ${HTTP_SECONDS} s) | req/s | p50 | p99 | non-2xx | errors |`,
    '|---|---|---|---|---|---|',
    `| idle, no WS clients | ${idleHttp.rps.toFixed(0)} | ${idleHttp.p50} ms | ${idleHttp.p99} ms | ${idleHttp.non2xx} | ${idleHttp.errors} |`,
    `| during ${CLIENTS}-client broadcasts | ${loadedHttp?.rps.toFixed(0)} | ${loadedHttp?.p50} ms | ${loadedHttp?.p99} ms | ${loadedHttp?.non2xx} | ${loadedHttp?.errors} |`,
    '',
    `tick latency while that HTTP load ran: p50 ${percentile(duringLatencies, 50)} ms, p99 ${percentile(duringLatencies, 99)} ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  writeBenchJson({
    bench: 'ws-fanout',
    clients: CLIENTS,
    seconds: SECONDS,
    rounds: ROUNDS,
    database: db.url ? 'postgresql' : 'pglite',
    cpus: cpus ? { servers: cpus.servers, load: cpus.load } : null,
    frameBytes,
    cryptovault: { ...cv, idleRssMb: idleRss, preClientsRssMb: preClientsRss, addedRssMb: cvAddedRss, byRound: cvRounds },
    bareWs: { ...base, idleRssMb: bareIdleRss, addedRssMb: bareAddedRss, byRound: bareRounds },
    pairedP99Ratio,
    addedRssRatio,
    pricesHttp: { idle: idleHttp, duringBroadcast: loadedHttp },
  });
}

runScript(main);
