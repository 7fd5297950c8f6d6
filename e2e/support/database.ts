import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { databaseUrl, PG_ADMIN_URL, runId, templateDb } from './env';

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Runs SQL as the test (for assertions on stored state). */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one suite: a clone of the template.
 *
 * Its sessions commit without waiting for the WAL flush (`synchronous_commit = off`): a commit is as atomic and
 * isolated as ever and a crash of PostgreSQL loses at most the last few hundred milliseconds of commits, which no
 * suite here looks for (the fault suites run their own PostgreSQL with the defaults). On the shared CI disk a
 * flush costs 4–13 ms, and a suite waits for thousands of them.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  return createDatabase(templateDb());
}

/** A fresh database with nothing in it (not even migrations), e.g. to restore a dump into. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  return createDatabase('template0');
}

async function createDatabase(template: string): Promise<TestDatabase> {
  const name = `cv_e2e_${runId()}_${randomBytes(4).toString('hex')}`;
  // CREATE DATABASE … TEMPLATE needs the template to have no other sessions; retry briefly if a clone is in progress.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin(async (c) => {
        await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        await c.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
      });
      break;
    } catch (e) {
      if (attempt > 20 || !/being accessed by other users/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const url = databaseUrl(name);
  // A pool, not one client: tests query side by side (Promise.all), which one pg client only queues, and pg 9 refuses.
  // No test relies on a session (each query is its own transaction), so any of its connections may answer.
  const pool = new Pool({ connectionString: url, max: 4, idleTimeoutMillis: 5_000 });
  // An idle connection that the server closes (the database dropped under it) is not the test's failure.
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  return {
    name,
    url,
    query: async <R>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as R[],
    drop: async () => {
      await pool.end().catch(() => undefined);
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
