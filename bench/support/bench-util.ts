import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, shippedRuntimeEnv, startApp, type RunningApp } from '../../e2e/support/app';
import { databaseUrl, PG_ADMIN_URL } from '../../e2e/support/env';

/** The repository's root, from bench/support (run in place by bench/run-ts.js) or bench/dist/bench/support. */
const ROOT = [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..', '..')].find((root) => existsSync(join(root, 'backend', 'scripts', 'run.sh')))!;
const RUN_SH = join(ROOT, 'backend', 'scripts', 'run.sh');

/**
 * Makes e2e's startApp run the built backend as `npm start` and the container image do: with the runtime settings of
 * backend/scripts/run.sh (glibc's malloc and V8's heap limit). Every bench app does.
 */
export function runAppsAsShipped(): void {
  process.env.CV_BACKEND_MAIN ??= join(ROOT, 'backend', 'dist', 'main.js');
  process.env.CV_APP_AS_SHIPPED ??= '1';
}

/** Resident set size of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** CPU time a process has used so far (user + system), ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The median of `xs` (the mean of the two middle values for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The built CryptoVault backend as a child process: PostgreSQL when
 * BENCH_DATABASE_URL is set, else the embedded default (PGlite); in-process
 * cache; simulated prices; limits raised so the benchmark measures the data
 * path, not the guards.
 */
export async function startBenchApp(extra: Record<string, string> = {}): Promise<RunningApp> {
  runAppsAsShipped();
  return startApp(
    {
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cv-bench-')),
      ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
      RATE_LIMIT_SCALE: '1000000',
      WS_MAX_CONNECTIONS_PER_IP: '100000',
      SIMULATED_SEED: '1',
      ...extra,
    },
    { timeoutMs: 120_000 },
  );
}

/**
 * The app for the WebSocket benches: simulated ticks once a second, on a scratch PostgreSQL
 * database (`db.drop()` drops it, and it is dropped at once if the app never comes up), unless
 * BENCH_DATABASE_URL names one or BENCH_PGLITE=1 asks for the embedded default.
 */
export async function startWsBenchApp(extra: Record<string, string> = {}): Promise<{ app: RunningApp; db: { url?: string; drop(): Promise<void> } }> {
  let db: { url?: string; drop(): Promise<void> } = { url: process.env.BENCH_DATABASE_URL, drop: async () => {} };
  if (!process.env.BENCH_DATABASE_URL && process.env.BENCH_PGLITE !== '1') {
    const name = `cv_bench_ws_${randomBytes(4).toString('hex')}`;
    await pgAdmin(`CREATE DATABASE "${name}"`);
    db = { url: databaseUrl(name), drop: () => pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  try {
    const app = await startBenchApp({ SIMULATED_TICK_MS: '1000', ...(db.url ? { DATABASE_URL: db.url } : {}), ...extra });
    return { app, db };
  } catch (e) {
    await db.drop();
    throw e;
  }
}

/**
 * Runs `bench/dist/bench/support/<script>.js` as a child, with the backend's runtime settings (shippedRuntimeEnv),
 * and waits for it to print its port.
 */
export async function startBaseline(script: string, env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = fork(join(__dirname, `${script}.js`), [], {
    env: { ...process.env, ...shippedRuntimeEnv(RUN_SH, process.env), ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { port, child };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * The benches' split of this machine's CPUs between the servers under test and the load (this
 * process: the WebSocket clients, or autocannon, and what it starts), as separate machines would
 * have it: the first half of the CPUs this process may use for the servers, the rest for the load.
 * Used by ws-fanout, ws-send-loop and http-read. Without it, on a 2-core machine the scheduler now
 * and then put a server's event loop and the clients on the same core, where they preempted each
 * other hundreds of times a tick while the other core idled (/proc/<pid>/schedstat: 14–18 ms of
 * run-queue wait per tick for the server instead of 1–3 ms). It struck the application's process
 * more often than the bare servers', so the comparison was one of luck in placement.
 * Off with PIN_CPUS=0, on a single CPU, or where `taskset` (util-linux) is missing.
 */
export interface CpuSplit {
  /** The servers' CPUs, as taskset lists them (`0`, `0,1`). */
  servers: string;
  /** The load's CPUs. */
  load: string;
  /** Moves every thread of `pid` (and so the threads it starts later) to the servers' CPUs. */
  pinServer(pid: number): void;
}

export function splitCpus(): CpuSplit | null {
  if (process.env.PIN_CPUS === '0') return null;
  const allowed = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
  const ids = allowed.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
  if (ids.length < 2 || ids.some((id) => !Number.isInteger(id))) return null;
  const half = Math.floor(ids.length / 2);
  const split = { servers: ids.slice(0, half).join(','), load: ids.slice(half).join(',') };
  const taskset = (cpus: string, pid: number) => execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
  try {
    taskset(split.load, process.pid);
  } catch {
    return null;
  }
  return { ...split, pinServer: (pid) => taskset(split.servers, pid) };
}

/** Runs a bench script's main and exits with its outcome. */
export function runScript(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}

/**
 * Machine-readable results for bench/run-all.mjs: written as JSON to the file
 * named by BENCH_JSON, when set (the Markdown on stdout stays for people).
 */
export function writeBenchJson(result: Record<string, unknown>): void {
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, `${JSON.stringify(result, null, 2)}\n`);
}

/** Runs one statement as the PostgreSQL administrator (TEST_DATABASE_ADMIN_URL): creating and dropping scratch databases. */
export async function pgAdmin(sql: string): Promise<void> {
  const c = new Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
