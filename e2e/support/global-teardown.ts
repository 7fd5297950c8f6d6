import { Client } from 'pg';
import { PG_ADMIN_URL, runId } from './env';

/** Drops this run's template and any suite database a crashed suite left behind; once per run, however many projects name it. */
export default async function globalTeardown(): Promise<void> {
  const run = globalThis as { cvE2eTornDown?: boolean };
  if (run.cvE2eTornDown) return;
  run.cvE2eTornDown = true;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const mine = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`cv_e2e_${runId()}_%`]);
    for (const { datname } of mine.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
