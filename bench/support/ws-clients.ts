import { WebSocket } from 'ws';
import { cpuMs } from './bench-util';

/**
 * The clients of the WebSocket benchmarks (bench/ws-fanout.ts, bench/ws-send-loop.ts): many
 * sockets in this one process, each timing the price_update frames it receives.
 */

const CONNECT_CONCURRENCY = 250;

export interface Run {
  connected: number;
  failed: number;
  connectSeconds: number;
  /** Tick latencies while the clients were the only load. */
  latencies: number[];
  /** The server's CPU time (user + system) per tick in that window, ms. */
  cpuPerTickMs: number;
  /** Tick latencies while `during` (HTTP load) ran, after the first window. */
  duringLatencies: number[];
  ticksPerClient: number;
  frameBytes: number;
  sample: string;
}

const PRICE_UPDATE = Buffer.from('price_update');

/**
 * Milliseconds since the epoch of the ISO-8601 UTC time `YYYY-MM-DDTHH:MM:SS.mmmZ` at `at` in `b`,
 * read from the bytes: the 5,000 clients share one process, and a string per frame for Date.parse
 * is garbage whose collection pauses would land in the latencies of whichever server is measured.
 */
function isoMillis(b: Buffer, at: number): number {
  const n = (i: number, len: number): number => {
    let v = 0;
    for (let k = at + i; k < at + i + len; k++) v = v * 10 + b[k] - 48;
    return v;
  };
  return Date.UTC(n(0, 4), n(5, 2) - 1, n(8, 2), n(11, 2), n(14, 2), n(17, 2), n(20, 3));
}

/**
 * Opens `n` clients of the server `pid`, measures `seconds` of price_update frames, closes them.
 * `during` runs in the measuring window.
 */
export async function fanOut(url: string, pid: number, n: number, seconds: number, during?: () => Promise<void>): Promise<Run> {
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
            if (!measuring || data.compare(PRICE_UPDATE, 0, PRICE_UPDATE.length, 9, 9 + PRICE_UPDATE.length) !== 0) return;
            // Frames end with `"timestamp":"<24-char ISO>"}`: read it without parsing the whole frame.
            latencies.push(now - isoMillis(data, data.length - 26));
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
  const cpu0 = cpuMs(pid);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = cpuMs(pid) - cpu0;
  const quiet = latencies.sort((a, b) => a - b);
  const ticksPerClient = received / Math.max(1, sockets.length);
  latencies = [];
  if (during) await during();
  measuring = false;
  for (const ws of sockets) ws.terminate();
  return {
    connected: sockets.length,
    failed,
    connectSeconds,
    latencies: quiet,
    cpuPerTickMs: cpu / Math.max(1, ticksPerClient),
    duringLatencies: latencies.sort((a, b) => a - b),
    ticksPerClient,
    frameBytes,
    sample,
  };
}
