import { Client } from 'pg';
import type { BrowserServer } from 'playwright-core';
import { PG_ADMIN_URL, runId } from './env';

/** Stops the run's shared Chromium (see global-setup); drops this run's template and any suite database a crashed suite left behind. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { cvSharedChromium?: BrowserServer }).cvSharedChromium?.close();
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const mine = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`cv_e2e_${runId()}_%`]);
    for (const { datname } of mine.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
