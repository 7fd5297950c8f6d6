import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REDIS_URL } from './env';

const MAIN = join(__dirname, '..', '..', 'backend', 'dist', 'main.js');

/**
 * The block of ports this jest worker hands out: below the kernel's ephemeral range (which `listen(0)`
 * and every outgoing connection draw from), one block per worker. A port found free by `listen(0)` and
 * closed again could be handed to another worker's app or taken by a client socket in the seconds an
 * app takes to boot; the app then fails to bind while `/health` at its URL is answered by someone
 * else's app (a different database and JWT secret: a 401 for a token this suite just made).
 */
const PORT_BLOCK = 1000;
const FIRST_PORT = 15_000;
function portBlock(): { first: number; size: number } | undefined {
  let ephemeralLow = 32_768;
  try {
    ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || ephemeralLow;
  } catch {
    /* not Linux: assume the usual range */
  }
  const worker = Math.max(1, Number(process.env.JEST_WORKER_ID ?? 1) || 1);
  const first = FIRST_PORT + (worker - 1) * PORT_BLOCK;
  return first + PORT_BLOCK <= ephemeralLow ? { first, size: PORT_BLOCK } : undefined;
}
const block = portBlock();
/** Where this worker looks next (from a random place in its block, so suites run one after another in a worker start apart). */
let nextPort = block ? Math.floor(Math.random() * block.size) : 0;

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' || e.code === 'EACCES' ? resolve(undefined) : reject(e)));
    srv.listen(port, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : undefined));
    });
  });
}

/** A port nothing listens on now, from this worker's own block (see `portBlock`), for a server about to start. */
export async function freePort(): Promise<number> {
  if (block) {
    for (let tries = 0; tries < block.size; tries++) {
      const port = block.first + (nextPort++ % block.size);
      if ((await listenOnce(port)) !== undefined) return port;
    }
  }
  const port = await listenOnce(0);
  if (port === undefined) throw new Error('no free port');
  return port;
}

export interface RunningApp {
  url: string;
  port: number;
  env: Record<string, string>;
  process: ChildProcess;
  /** Everything the process wrote (JSON log lines and stderr). */
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

/**
 * The environment a suite's instances share: one database, one Redis key
 * prefix, one JWT secret, so several instances act as one deployment.
 */
export function suiteEnv(databaseUrl: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    REDIS_URL,
    REDIS_PREFIX: `cv-e2e-${randomBytes(4).toString('hex')}:`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_SETUP_TOKEN: randomBytes(16).toString('hex'),
    BCRYPT_COST: '4',
    RATE_LIMIT_SCALE: '100',
    LOG_LEVEL: 'info',
    // Every suite runs with the rule "no code path asks for a database connection while it holds one" enforced.
    DATABASE_CONNECTION_GUARD: 'true',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'cv-e2e-')),
    // Suites fund their users through one admin's ledger adjustments (support/money.ts `fund`);
    // dual control of adjustments is exercised by security-admin, which sets its own line.
    LEDGER_ADJUSTMENT_DUAL_APPROVAL_USD: '1000000000000000',
    // A confirmed withdrawal address is usable at once (support/withdrawer.ts `createWithdrawer`);
    // the hold itself is exercised by wallet-address-book, which sets its own.
    ADDRESS_HOLD_HOURS: '0',
    // Tests never reach the internet: suites on real price sources (fakes) would otherwise fetch the ECB's rates;
    // the fx suites point FX_SOURCE=ecb at e2e/support/fakes/ecb.ts.
    FX_SOURCE: 'sample',
    // A year of chart history is some 25,000 rows written at the first tick of every start (a second of CPU each):
    // only the suites about history, charts or valuations over time turn it on (CANDLE_HISTORY_BACKFILL: 'true').
    CANDLE_HISTORY_BACKFILL: 'false',
    ...extra,
  };
}

/** The runtime settings backend/scripts/run.sh would give node with `env` (what it keeps) and its defaults. */
export function shippedRuntimeEnv(runSh: string, env: Record<string, string | undefined>): Record<string, string> {
  const given = Object.fromEntries(
    Object.entries(env).filter(
      (e): e is [string, string] => e[1] !== undefined && (e[0].startsWith('MALLOC_') || e[0] === 'HEAP_LIMIT_MB' || e[0] === 'NODE_OPTIONS'),
    ),
  );
  const out = execFileSync('sh', [runSh, '--print-env'], { env: { PATH: process.env.PATH ?? '', ...given }, encoding: 'utf8' });
  return Object.fromEntries(
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/**
 * Starts the built backend as its own process and waits until `/health` answers. `asShipped` (default: the
 * CV_APP_AS_SHIPPED environment variable, which the benches set): with the runtime settings of
 * backend/scripts/run.sh, as `npm start` and the container image start it (malloc, V8's heap limit; a MALLOC_* or
 * HEAP_LIMIT_MB of this process or of `env`, and a NODE_OPTIONS of `env`, is kept, as run.sh keeps an operator's).
 */
export async function startApp(env: Record<string, string>, opts: { timeoutMs?: number; portRetries?: number; asShipped?: boolean } = {}): Promise<RunningApp> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const fullEnv = { ...env, PORT: String(port), HOST: '127.0.0.1', APP_URL: env.APP_URL ?? `http://127.0.0.1:${port}` };
  // CV_BACKEND_MAIN lets scripts compiled elsewhere (bench/) point at the built backend.
  // CV_APP_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) goes to the app's node only, for profiling a run;
  // on the command line, as Node refuses some of them in NODE_OPTIONS.
  const nodeArgs = (process.env.CV_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const main = process.env.CV_BACKEND_MAIN ?? MAIN;
  const asShipped = opts.asShipped ?? process.env.CV_APP_AS_SHIPPED === '1';
  // run.sh beside the build: <backend>/dist/main.js → <backend>/scripts/run.sh.
  // This process's NODE_OPTIONS (a test runner's) is not the app's: only MALLOC_* and HEAP_LIMIT_MB are taken from it.
  const { NODE_OPTIONS: _runners, ...ours } = process.env;
  const runtime = asShipped ? shippedRuntimeEnv(join(dirname(main), '..', 'scripts', 'run.sh'), { ...ours, ...env }) : {};
  const child = spawn(process.execPath, [...nodeArgs, main], {
    env: { PATH: process.env.PATH ?? '', ...fullEnv, ...runtime },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  // Not a speed expectation (no test asserts a duration): the point past which a boot counts as hung.
  // A boot takes 2–5 s on a quiet 2-core machine and over 30 s when several suites share it.
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      // Its port was taken after all (by a process outside this harness): another one, unless the caller chose it.
      if (!env.PORT && out.includes('EADDRINUSE') && (opts.portRetries ?? 2) > 0) return startApp(env, { ...opts, portRetries: (opts.portRetries ?? 2) - 1 });
      throw new Error(`app exited with ${child.exitCode} before it was healthy:\n${out.slice(-4000)}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app not healthy in time:\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    env: fullEnv,
    process: child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
    kill: async () => {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
