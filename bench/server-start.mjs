// How long a server start takes, and how much CPU: the bundled server through V8's code cache (`node
// backend/dist/main.js`, what npm start, the container and every test run) beside its baselines, in the same run and
// alternating: the bundle without the cache (CODE_CACHE_DIR=off) and tsc's unbundled output (`node
// backend/dist/server.js`, how the server started before the bundle). A test run starts the server some 70 times.
//
//   npm run build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a migrated scratch database> \
//     REDIS_URL=redis://127.0.0.1:6379 node bench/server-start.mjs [--runs 5]
//   (without DATABASE_URL: the embedded default, warm, on one DATA_DIR)
//
// CPU is the process's user + system time when /health first answers 200 (from /proc/<pid>/stat).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBackend, stopBackend } from './support/start-backend.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 5) || 5;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'backend', 'dist');
const TICK_MS = 10; // USER_HZ 100, as on every Linux we run

const dataDir = mkdtempSync(join(tmpdir(), 'cv-start-'));
const cacheDir = mkdtempSync(join(tmpdir(), 'cv-start-cache-'));

async function start(script, extraEnv) {
  const { child, ms } = await startBackend(join(dist, script), {
    PATH: process.env.PATH,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    REDIS_URL: process.env.REDIS_URL ?? '',
    REDIS_PREFIX: `bench-start-${process.pid}-${Math.random().toString(36).slice(2)}:`,
    JWT_SECRET: 'x'.repeat(64),
    ...extraEnv,
  });
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
  await stopBackend(child);
  return { ms, cpuMs };
}

const VARIANTS = [
  { name: 'bundle + code cache: `node backend/dist/main.js`', script: 'main.js', env: { CODE_CACHE_DIR: cacheDir } },
  { name: 'baseline: bundle without the cache (`CODE_CACHE_DIR=off`)', script: 'main.js', env: { CODE_CACHE_DIR: 'off' } },
  { name: "baseline: tsc's output unbundled: `node backend/dist/server.js`", script: 'server.js', env: {} },
];
// Warm-up (not counted): migrations on an empty DATA_DIR, and the code cache's first write.
await start('main.js', { CODE_CACHE_DIR: cacheDir });
await new Promise((r) => setTimeout(r, 500));
const results = VARIANTS.map(() => []);
for (let i = 0; i < runs; i++) for (const [k, v] of VARIANTS.entries()) results[k].push(await start(v.script, v.env));
rmSync(dataDir, { recursive: true, force: true });
rmSync(cacheDir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, node ${process.version}; database: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded (PGlite), warm'}; ${runs} runs each, alternating`,
);
console.log('| start | CPU to /health 200 (median; runs) | time to /health 200 (median) |');
console.log('|---|---|---|');
for (const [k, v] of VARIANTS.entries()) {
  const xs = results[k];
  console.log(`| ${v.name} | ${s(median(xs.map((x) => x.cpuMs)))} (${xs.map((x) => s(x.cpuMs)).join(', ')}) | ${s(median(xs.map((x) => x.ms)))} |`);
}
