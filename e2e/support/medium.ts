import { DataSource } from 'typeorm';
import { databaseTarget } from '../../backend/src/database/data-source-options';
import { createTestDatabase, TestDatabase } from './database';

/**
 * A medium test's database: a template clone of the migrated schema on the
 * real PostgreSQL, with a TypeORM DataSource over it, for driving repositories
 * and SQL-bearing services in-process without booting the server.
 *
 *   const m = await mediumDatabase();      // in beforeAll
 *   const repo = new OrdersRepository(m.ds);
 *   await m.close();                       // in afterAll
 */
export interface MediumDatabase {
  db: TestDatabase;
  ds: DataSource;
  close(): Promise<void>;
}

export async function mediumDatabase(): Promise<MediumDatabase> {
  const db = await createTestDatabase();
  const ds = await new DataSource({ ...databaseTarget({ databaseUrl: db.url, dataDir: '' }).options, poolSize: 4 } as never).initialize();
  return {
    db,
    ds,
    close: async () => {
      await ds.destroy();
      await db.drop();
    },
  };
}
