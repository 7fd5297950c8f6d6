import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { databaseUrl, PG_ADMIN_URL, REDIS_URL, TEMPLATE_DB } from './env';

/**
 * Once per run: checks PostgreSQL and Redis answer, and builds a migrated
 * template database that every suite clones (`CREATE DATABASE … TEMPLATE`).
 */
export default async function globalSetup(): Promise<void> {
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`e2e: PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(e as Error).message}); start it (see README)`);
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw new Error(`e2e: Redis is not reachable at ${REDIS_URL} (${(e as Error).message}); start it (see README)`);
  } finally {
    redis.disconnect();
  }
  // Leftovers of an interrupted earlier run.
  const stale = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'cv\\_e2e\\_%'`);
  for (const { datname } of stale.rows) {
    await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE "${TEMPLATE_DB}"`);
  await admin.end();
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'backend', 'dist', 'cli', 'migrate.js')], {
    env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl(TEMPLATE_DB) },
    stdio: 'inherit',
  });
}
