import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { CHROMIUM, startSharedChromium } from './chromium';
import { databaseUrl, DB_PREFIX, PG_ADMIN_URL, REDIS_URL, templateDb } from './env';

const STALE_AFTER_S = 3 * 3600;

/**
 * Once per run: checks PostgreSQL and Redis answer, and builds a migrated
 * template database that every suite clones (`CREATE DATABASE … TEMPLATE`);
 * when the browser suites may run, starts the one Chromium they share (see startSharedChromium; globalTeardown stops it).
 */
export default async function globalSetup(globalConfig: { selectProjects?: string[] }): Promise<void> {
  process.env.CV_E2E_RUN_ID = `${Math.floor(Date.now() / 1000)}${randomBytes(2).toString('hex')}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`e2e: PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(e as Error).message}); start it (see README)`, { cause: e });
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new Error(`e2e: Redis is not reachable at ${REDIS_URL} (${(e as Error).message}); start it (see README)`, { cause: e });
  } finally {
    redis.disconnect();
  }
  // Leftovers of interrupted runs (names start with the run's epoch seconds); never a live run's.
  const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '${DB_PREFIX}%'`);
  const now = Math.floor(Date.now() / 1000);
  for (const { datname } of stale.rows) {
    const started = Number(/^cv_e2e_(\d{10})/.exec(datname)?.[1] ?? now);
    if (now - started > STALE_AFTER_S) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE "${templateDb()}"`);
  // Migrating does not wait for WAL flushes either (see createTestDatabase); clones get the setting from createDatabase.
  await admin.query(`ALTER DATABASE "${templateDb()}" SET synchronous_commit = off`);
  await admin.end();
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'backend', 'dist', 'cli', 'migrate.js')], {
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl(templateDb()) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Not for a run of other projects only (`--selectProjects medium`), nor where Chromium is missing (the browser suites
  // then fail on their own launch, naming it).
  const projects = globalConfig.selectProjects;
  if ((!projects || projects.includes('browser')) && existsSync(CHROMIUM)) {
    try {
      (globalThis as { cvSharedChromium?: unknown }).cvSharedChromium = await startSharedChromium();
    } catch (e) {
      process.stderr.write(`e2e: no shared Chromium (${(e as Error).message}); each browser suite starts its own\n`);
    }
  }
}
