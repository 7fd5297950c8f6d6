import { RunningApp, startApp, suiteEnv } from './app';
import { createTestDatabase, TestDatabase } from './database';
import { SmtpSink } from './smtp';

export interface AppSuite {
  db: TestDatabase;
  mail: SmtpSink;
  app: RunningApp;
}

/**
 * The usual suite: a fresh database, an SMTP sink and one app instance on
 * them (plus `env`), started before the suite's tests and torn down after.
 * Read the fields inside hooks and tests (they are set in `beforeAll`).
 */
export function useAppSuite(env: Record<string, string> = {}): AppSuite {
  const suite = {} as AppSuite;
  beforeAll(async () => {
    [suite.db, suite.mail] = await Promise.all([createTestDatabase(), SmtpSink.start()]);
    suite.app = await startApp(suiteEnv(suite.db.url, { SMTP_URL: suite.mail.url, ...env }));
  });
  afterAll(async () => {
    await suite.app?.stop();
    await suite.mail?.stop();
    await suite.db?.drop();
  });
  return suite;
}
