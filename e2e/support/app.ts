import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_URL } from './env';

const MAIN = join(__dirname, '..', '..', 'backend', 'dist', 'main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
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

/** Starts the built backend as its own process and waits until `/health` answers. */
export async function startApp(env: Record<string, string>, opts: { timeoutMs?: number } = {}): Promise<RunningApp> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const fullEnv = { ...env, PORT: String(port), HOST: '127.0.0.1', APP_URL: env.APP_URL ?? `http://127.0.0.1:${port}` };
  // CV_BACKEND_MAIN lets scripts compiled elsewhere (bench/) point at the built backend.
  // CV_APP_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) goes to the app's node only, for profiling a run.
  const nodeArgs = (process.env.CV_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, process.env.CV_BACKEND_MAIN ?? MAIN], {
    env: { PATH: process.env.PATH ?? '', ...fullEnv },
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
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode} before it was healthy:\n${out.slice(-4000)}`);
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
