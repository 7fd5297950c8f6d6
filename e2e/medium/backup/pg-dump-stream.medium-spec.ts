import { Client } from 'pg';
import { BackupRepository } from '../../../backend/src/backup/backup.repository';
import { findPgTool, pgDump } from '../../../backend/src/backup/pg-tools';
import { createEmptyDatabase, TestDatabase } from '../../support/database';

/**
 * `npm run backup` streams pg_dump's output into the encrypted archive, which starts reading it only once the
 * encryption is set up. Found in CI (the backup-restore suite, under load): a small database's pg_dump had exited by
 * then, and Node, at a child's exit, resumes any of its output streams nobody reads yet — the dump was thrown away,
 * and the backup refused as "the database dump came out empty". Whatever the dump program has written is kept for the
 * archive, however late the archive starts reading.
 */
describe('backup: the dump streamed from pg_dump', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createEmptyDatabase();
    await db.query(`CREATE TABLE holdings (owner text PRIMARY KEY, amount numeric NOT NULL)`);
    await db.query(`INSERT INTO holdings VALUES ('alice', 12.5), ('bob', 0.00000001)`);
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('is whole when pg_dump has finished before the archive reads any of it', async () => {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      // The snapshot and the server version as `npm run backup` reads them.
      const repo = new BackupRepository({ query: async (sql: string) => (await client.query(sql)).rows } as ConstructorParameters<typeof BackupRepository>[0]);
      const snapshot = await repo.exportSnapshot();
      const { major } = await repo.serverVersion();
      const dump = pgDump(await findPgTool('pg_dump', undefined, major), db.url, snapshot);
      // pg_dump exits and its output closes before anything reads it (a dump this small fits the buffers).
      await dump.done;
      const chunks: Buffer[] = [];
      for await (const chunk of dump.chunks) chunks.push(Buffer.from(chunk));
      const bytes = Buffer.concat(chunks);
      // The custom format's header, and the table in it.
      expect(bytes.subarray(0, 5).toString()).toBe('PGDMP');
      expect(bytes.includes(Buffer.from('holdings'))).toBe(true);
    } finally {
      await client.query('COMMIT');
    }
  });
});
