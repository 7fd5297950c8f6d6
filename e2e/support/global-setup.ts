import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { databaseUrl, DB_PREFIX, PG_ADMIN_URL, REDIS_URL, templateDb } from './env';

const STALE_AFTER_S = 3 * 3600;

/**
 * Once per run: checks PostgreSQL and Redis answer, and builds a migrated
 * template database that every suite clones (`CREATE DATABASE … TEMPLATE`).
 * Every e2e-type project names it (the browser project through global-setup-browser); it runs once however many do.
 */
export default async function globalSetup(): Promise<void> {
  const run = globalThis as { cvE2eSetUp?: boolean };
  if (run.cvE2eSetUp) return;
  run.cvE2eSetUp = true;
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
}
