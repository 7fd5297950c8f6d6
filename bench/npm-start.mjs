// `npm start` with nothing changed (issue 22, goal 9a): the time from running `npm start` in the repository root —
// what a self-hoster types, build steps included — to the first `/health` 200, on the embedded default (PGlite) and
// an existing DATA_DIR. A first `npm start` (not counted) brings every build output up to date and migrates the
// DATA_DIR; each measured one after it finds nothing changed. The script only measures: whether `npm start`
// rebuilds the server and the client when their sources are unchanged is up to `npm start`.
//
//   node bench/npm-start.mjs [--runs 3]
//   env BENCH_JSON: also write the figures to that file (read by bench/run-all.mjs)
//
// `npm start` writes backend/dist and frontend/dist like `npm run build`: on a checkout others build in at the same
// time, run it under their build lock. Each start is stopped with SIGTERM to its process group once healthy.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './support/start-backend.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 3) || 3;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const dataDir = mkdtempSync(join(tmpdir(), 'cv-npm-start-'));

/** `npm start` in its own process group; resolves with the ms from spawning it to /health 200. */
async function npmStart() {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(npm, ['start', '--silent'], {
    cwd: root,
    detached: true,
    env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  child.stderr.on('data', (d) => (out += d.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${out.slice(-3000)}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
      } catch {
        /* not up yet */
      }
      if (performance.now() - started > 600_000) throw new Error(`no /health within 600 s:\n${out.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    return { ms: performance.now() - started };
  } finally {
    // npm runs the server as its child: stop the whole group this script started.
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 15_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

try {
  const warmup = await npmStart();
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await npmStart());
  const ms = results.map((r) => r.ms);
  const median = [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)];
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, node ${process.version}; embedded default, existing DATA_DIR`,
  );
  console.log('| start | time to /health 200 |');
  console.log('|---|---|');
  console.log(`| first \`npm start\` (brings the builds up to date; not counted) | ${(warmup.ms / 1000).toFixed(2)} s |`);
  console.log(
    `| \`npm start\` with nothing changed (median of ${runs}) | ${(median / 1000).toFixed(2)} s (runs: ${ms.map((x) => (x / 1000).toFixed(2)).join(', ')}) |`,
  );
  if (process.env.BENCH_JSON) {
    writeFileSync(process.env.BENCH_JSON, `${JSON.stringify({ bench: 'npm-start', runs, warmupMs: warmup.ms, medianMs: median, runsMs: ms }, null, 2)}\n`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
