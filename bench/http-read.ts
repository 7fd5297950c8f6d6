/**
 * HTTP read-path benchmark (not a test): GET /api/crypto requests/s on
 * CryptoVault vs a bare Express 5 server and a bare Node `http` server
 * answering the same JSON body, one after another in the same run.
 *
 *   npm run build && npx tsc -p bench/tsconfig.json && node bench/dist/bench/http-read.js
 *   env: SECONDS (10), CONNECTIONS (50), BENCH_DATABASE_URL (unset → PGlite)
 */
import autocannon from 'autocannon';
import { runScript, startBaseline, startBenchApp, stopChild } from './support/bench-util';

const SECONDS = Number(process.env.SECONDS ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);

async function measure(url: string): Promise<{ rps: number; p50: number; p99: number; non2xx: number; bytes: number }> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, bytes: r.throughput.average };
}

async function main(): Promise<void> {
  const app = await startBenchApp();
  await new Promise((r) => setTimeout(r, 2_000));
  const body = await (await fetch(`${app.url}/api/crypto`)).text();
  const cv = await measure(`${app.url}/api/crypto`);
  await app.stop();

  const ex = await startBaseline('bare-http-servers', { KIND: 'express', BODY: body });
  const express = await measure(`http://127.0.0.1:${ex.port}/api/crypto`);
  await stopChild(ex.child);

  const raw = await startBaseline('bare-http-servers', { KIND: 'http', BODY: body });
  const http = await measure(`http://127.0.0.1:${raw.port}/api/crypto`);
  await stopChild(raw.child);

  const row = (name: string, r: typeof cv) => `| ${name} | ${r.rps.toFixed(0)} | ${r.p50} ms | ${r.p99} ms | ${r.non2xx} | ${(cv.rps / r.rps).toFixed(2)} |`;
  const lines = [
    `body ${Buffer.byteLength(body)} bytes, ${CONNECTIONS} connections, ${SECONDS} s each, node ${process.version}`,
    '',
    '| server | req/s | p50 | p99 | non-2xx | CryptoVault ÷ this |',
    '|---|---|---|---|---|---|',
    row('CryptoVault GET /api/crypto', cv),
    row('bare Express 5', express),
    row('bare node:http', http),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

runScript(main);
