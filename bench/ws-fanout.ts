/**
 * WebSocket fan-out benchmark (not a test): N concurrent clients on one
 * instance's /ws/prices; tick delivery latency (frame timestamp → client
 * receipt) p50/p99 and server RSS with the clients as the only load, then
 * GET /api/prices p50/p99 at a fixed rate while the broadcasts continue;
 * then the same clients against a bare `ws` broadcast server sending frames of
 * the same size, measured in the same run.
 *
 *   npm run build && npx tsc -p bench/tsconfig.json && node bench/dist/bench/ws-fanout.js
 *   env: CLIENTS (5000), SECONDS (10), HTTP_SECONDS (5: each GET /api/prices run), BENCH_DATABASE_URL (unset → PGlite),
 *        BENCH_JSON (a file for the figures, read by bench/run-all.mjs)
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { percentile, rssMb, runScript, startBaseline, startBenchApp, stopChild, writeBenchJson } from './support/bench-util';

const CLIENTS = Number(process.env.CLIENTS ?? 5_000);
const SECONDS = Number(process.env.SECONDS ?? 10);
const HTTP_SECONDS = Number(process.env.HTTP_SECONDS ?? 5);
const CONNECT_CONCURRENCY = 250;

interface Run {
  /** Tick latencies while the clients were the only load. */
  connected: number;
  failed: number;
  connectSeconds: number;
  latencies: number[];
  /** Tick latencies while `during` (HTTP load) ran, after the first window. */
  duringLatencies: number[];
  ticksPerClient: number;
  frameBytes: number;
  sample: string;
}

/** Opens `n` clients, measures `seconds` of price_update frames, closes them. `during` runs in the measuring window. */
async function fanOut(url: string, n: number, seconds: number, during?: () => Promise<void>): Promise<Run> {
  const sockets: WebSocket[] = [];
  let latencies: number[] = [];
  let measuring = false;
  let received = 0;
  let frameBytes = 0;
  let sample = '';
  let failed = 0;
  const t0 = Date.now();
  for (let i = 0; i < n; i += CONNECT_CONCURRENCY) {
    await Promise.all(
      Array.from({ length: Math.min(CONNECT_CONCURRENCY, n - i) }, () => {
        return new Promise<void>((resolve) => {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          ws.on('message', (data: Buffer) => {
            const now = Date.now();
            if (!measuring || data.toString('latin1', 9, 21) !== 'price_update') return;
            // Frames end with `"timestamp":"<24-char ISO>"}`: read it without parsing the whole frame.
            latencies.push(now - Date.parse(data.toString('latin1', data.length - 26, data.length - 2)));
            received++;
            frameBytes = data.length;
            if (!sample) sample = data.toString();
          });
          ws.once('open', () => {
            sockets.push(ws);
            resolve();
          });
          ws.once('error', () => {
            failed++;
            resolve();
          });
        });
      }),
    );
  }
  const connectSeconds = (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 1_500)); // let the first full snapshots drain
  measuring = true;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const quiet = latencies.sort((a, b) => a - b);
  const ticksPerClient = received / Math.max(1, sockets.length);
  latencies = [];
  if (during) await during();
  measuring = false;
  for (const ws of sockets) ws.terminate();
  return { connected: sockets.length, failed, connectSeconds, latencies: quiet, duringLatencies: latencies.sort((a, b) => a - b), ticksPerClient, frameBytes, sample };
}

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

async function main(): Promise<void> {
  const app = await startBenchApp({ SIMULATED_TICK_MS: '1000' });
  const pid = app.process.pid!;
  await new Promise((r) => setTimeout(r, 2_000));
  const idleRss = rssMb(pid);
  const idleHttp = await autocannon(`${app.url}/api/prices`, HTTP_SECONDS);
  let peakRss = idleRss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 250);
  let loadedHttp: Awaited<ReturnType<typeof autocannon>> | undefined;
  const cv = await fanOut(`${app.url.replace('http', 'ws')}/ws/prices`, CLIENTS, SECONDS, async () => {
    loadedHttp = await autocannon(`${app.url}/api/prices`, HTTP_SECONDS);
  });
  clearInterval(rssTimer);
  const cvRss = peakRss;
  await app.stop();

  const template = cv.sample.replace(/"timestamp":"[^"]+"}$/, '"timestamp":"%"}');
  const bare = await startBaseline('bare-ws-server', { FRAME_TEMPLATE: template });
  let bareRss = rssMb(bare.child.pid!);
  const bareTimer = setInterval(() => (bareRss = Math.max(bareRss, rssMb(bare.child.pid!))), 250);
  const base = await fanOut(`ws://127.0.0.1:${bare.port}`, CLIENTS, SECONDS);
  clearInterval(bareTimer);
  await stopChild(bare.child);

  const row = (name: string, r: Run, rss: number) =>
    `| ${name} | ${r.connected}/${CLIENTS} | ${r.connectSeconds.toFixed(1)} s | ${r.ticksPerClient.toFixed(2)} | ${percentile(r.latencies, 50)} ms | ${percentile(r.latencies, 99)} ms | ${percentile(r.latencies, 100)} ms | ${rss} MB |`;
  const lines = [
    `clients ${CLIENTS}, window ${SECONDS} s, frame ${cv.frameBytes} bytes (all 20 assets change every tick), node ${process.version}`,
    '',
    '| server | connected | connect time | ticks/client in window | p50 | p99 | max | server RSS (peak) |',
    '|---|---|---|---|---|---|---|---|',
    row('CryptoVault /ws/prices', cv, cvRss),
    row('bare ws broadcast', base, bareRss),
    '',
    `ratio p99 CryptoVault / bare: ${(percentile(cv.latencies, 99) / Math.max(1, percentile(base.latencies, 99))).toFixed(2)}; RSS idle before clients: ${idleRss} MB`,
    '',
    `| GET /api/prices (autocannon -c 10 -R 200, ${HTTP_SECONDS} s) | req/s | p50 | p99 | non-2xx | errors |`,
    '|---|---|---|---|---|---|',
    `| idle, no WS clients | ${idleHttp.rps.toFixed(0)} | ${idleHttp.p50} ms | ${idleHttp.p99} ms | ${idleHttp.non2xx} | ${idleHttp.errors} |`,
    `| during ${CLIENTS}-client broadcasts | ${loadedHttp?.rps.toFixed(0)} | ${loadedHttp?.p50} ms | ${loadedHttp?.p99} ms | ${loadedHttp?.non2xx} | ${loadedHttp?.errors} |`,
    '',
    `tick latency while that HTTP load ran: p50 ${percentile(cv.duringLatencies, 50)} ms, p99 ${percentile(cv.duringLatencies, 99)} ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const summary = (r: Run, rss: number) => ({ connected: r.connected, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), max: percentile(r.latencies, 100), ticksPerClient: r.ticksPerClient, rssMb: rss });
  writeBenchJson({
    bench: 'ws-fanout',
    clients: CLIENTS,
    seconds: SECONDS,
    frameBytes: cv.frameBytes,
    cryptovault: { ...summary(cv, cvRss), idleRssMb: idleRss },
    bareWs: summary(base, bareRss),
    pricesHttp: { idle: idleHttp, duringBroadcast: loadedHttp },
  });
}

runScript(main);
