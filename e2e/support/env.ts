/** Where the test services are; CI and developers' machines run both on 127.0.0.1. */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * One id per `jest` run (set by global setup, inherited by workers), so
 * several runs on one machine never touch each other's databases.
 */
export function runId(): string {
  const id = process.env.CV_E2E_RUN_ID;
  if (!id) throw new Error('CV_E2E_RUN_ID is not set: run e2e suites through jest (global setup)');
  return id;
}

export const templateDb = (): string => `cv_e2e_${runId()}_template`;
export const DB_PREFIX = 'cv_e2e_';

export function databaseUrl(name: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}
