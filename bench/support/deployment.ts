import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startApp, suiteEnv, type RunningApp } from '../../e2e/support/app';
import { databaseUrl } from '../../e2e/support/env';
import { createUser, type TestUser } from '../../e2e/support/factories';
import { fund } from '../../e2e/support/money';
import { loadBalancerConfig } from '../../e2e/support/nginx';
import { run, spawnChild, tempDirFor, type Child } from '../../e2e/support/processes';
import type { SmtpSink } from '../../e2e/support/smtp';
import { waitFor } from '../../e2e/support/wait';
import { pgAdmin, runAppsAsShipped } from './bench-util';

/**
 * A scratch deployment for the trigger and soak benches: its own PostgreSQL database (dropped at
 * the end), Redis under its own key prefix (suiteEnv), prices from the bench's fake Binance, the
 * limits a benchmark must not hit (rate limits scaled away, per-address socket limits raised: every
 * client here is 127.0.0.1). `DATABASE_CONNECTION_GUARD` is off, as in production (the e2e suites
 * turn it on to catch a code path that holds one connection while asking for another).
 */
export async function scratchDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await pgAdmin(`CREATE DATABASE "${name}"`);
  return { name, url: databaseUrl(name), drop: () => pgAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export function benchEnv(dbUrl: string, feedUrl: string, mail: SmtpSink, extra: Record<string, string> = {}): Record<string, string> {
  return suiteEnv(dbUrl, {
    SMTP_URL: mail.url,
    PRICE_SOURCES: 'binance',
    BINANCE_WS_URL: feedUrl,
    RATE_LIMIT_SCALE: '1000000',
    WS_MAX_CONNECTIONS_PER_IP: '1000000',
    WS_USER_MAX_CONNECTIONS_PER_IP: '1000000',
    LOG_LEVEL: 'warn',
    DATABASE_CONNECTION_GUARD: 'false',
    // An A/B of the trigger engine's parallelism and batching: `TRIGGER_FIRE_CONCURRENCY=1 npm run bench -- --only triggers`,
    // `TRIGGER_FIRE_MIN_BATCH=1` (a few crossed orders each in its own transaction, side by side, as before 2026-12-05).
    ...Object.fromEntries(['TRIGGER_FIRE_CONCURRENCY', 'TRIGGER_FIRE_MIN_BATCH'].flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : []))),
    ...extra,
  });
}

/** Starts `n` instances on one environment (one deployment); all are stopped if one fails to start. */
export async function startInstances(env: Record<string, string>, n: number): Promise<RunningApp[]> {
  runAppsAsShipped();
  const started = await Promise.allSettled(Array.from({ length: n }, () => startApp(env, { timeoutMs: 120_000 })));
  const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(apps.map((a) => a.stop()));
    throw failed.reason;
  }
  return apps;
}

/** Runs `job` over `items`, `concurrency` at a time, in order of start; resolves with the results in item order. */
export async function inPool<T, R>(items: T[], concurrency: number, job: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await job(items[i], i);
      }
    }),
  );
  return out;
}

/** `n` users made through the real API (signup, mail code, verify, login: e2e's createUser), each funded by the admin with `funding`. */
export async function fundedUsers(app: RunningApp, mail: SmtpSink, admin: TestUser, n: number, funding: Record<string, string>): Promise<TestUser[]> {
  const users = await inPool(
    Array.from({ length: n }, (_, i) => i),
    8,
    () => createUser(app, mail),
  );
  await inPool(users, 8, async (u) => {
    for (const [asset, amount] of Object.entries(funding)) await fund(app, admin, u, asset, amount);
  });
  return users;
}

/** A fresh access token for each user (a login through `baseUrl`), so none expires during a long run. */
export async function freshTokens(baseUrl: string, users: TestUser[]): Promise<void> {
  await inPool(users, 8, async (u) => {
    const res = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: u.email, password: u.password }),
    });
    if (res.status !== 200) throw new Error(`login of ${u.email}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { accessToken: string; refreshToken: string };
    u.accessToken = body.accessToken;
    u.refreshToken = body.refreshToken;
    u.auth = { Authorization: `Bearer ${body.accessToken}` };
  });
}

/**
 * nginx in front of `upstreams` as e2e/support/nginx.ts configures it (round robin, WebSocket upgrade on /ws,
 * X-Forwarded-For), sized for thousands of sockets: each proxied socket is two connections of the worker,
 * so worker_connections 16384 (the e2e config's 1024 serves a test's handful), and no access log.
 */
export async function startLoadBalancer(upstreams: string[]): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const dir = await tempDirFor('cv-bench-nginx-');
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const config = loadBalancerConfig(dir, port, upstreams)
    .replace('worker_processes 1;', 'worker_processes 1;\nworker_rlimit_nofile 20000;')
    .replace('worker_connections 1024;', 'worker_connections 16384;')
    .replace(`access_log ${dir}/access.log;`, 'access_log off;');
  if (!config.includes('worker_connections 16384;') || !config.includes('access_log off;'))
    throw new Error('the e2e nginx config changed: update startLoadBalancer');
  writeFileSync(conf, config);
  const nginx = process.env.CV_NGINX_BIN ?? '/usr/sbin/nginx';
  await run(nginx, ['-t', '-e', join(dir, 'error.log'), '-c', conf, '-p', dir]);
  const child: Child = spawnChild(nginx, ['-e', join(dir, 'error.log'), '-c', conf, '-p', dir]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.process.exitCode !== null) throw new Error(`nginx exited: ${child.output()}`);
      return (await fetch(`${url}/health`)).ok;
    },
    15_000,
    `nginx on :${port}`,
  );
  return {
    url,
    pid: child.process.pid!,
    stop: async () => {
      await child.kill('SIGQUIT');
      await run('rm', ['-rf', dir]);
    },
  };
}
