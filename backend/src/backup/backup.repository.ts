import type { DataSource, EntityManager } from 'typeorm';

/** A connection or transaction to read through (the CLIs have no Nest container: they pass what they opened). */
type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** The little SQL backups need beyond the ledger's own readers: the schema's version, emptiness, a shared snapshot. */
export class BackupRepository {
  constructor(private readonly db: Queryable) {}

  /** The last migration applied (TypeORM's `migrations` table) and how many were; none on a database never migrated. */
  async schemaVersion(): Promise<{ lastMigration: string | null; migrations: number }> {
    const rows = (await this.db.query(
      `SELECT (SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1) AS last, (SELECT count(*)::int FROM migrations) AS count
       WHERE to_regclass('migrations') IS NOT NULL`,
    )) as { last: string | null; count: number }[];
    return rows.length ? { lastMigration: rows[0].last, migrations: rows[0].count } : { lastMigration: null, migrations: 0 };
  }

  /** `server_version`, e.g. `17.2 (Debian 17.2-1.pgdg120+1)`, and its major number (`server_version_num` / 10000). */
  async serverVersion(): Promise<{ text: string; major: number }> {
    const [row] = (await this.db.query(`SELECT current_setting('server_version') AS text, current_setting('server_version_num')::int / 10000 AS major`)) as {
      text: string;
      major: number;
    }[];
    return row;
  }

  /** How many tables, views, sequences and functions the database holds outside PostgreSQL's own schemas. */
  async userObjects(): Promise<number> {
    const [row] = (await this.db.query(
      `SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%')
            + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))
            + (SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql') AS count`,
    )) as { count: string }[];
    return Number(row.count);
  }

  /**
   * Inside a REPEATABLE READ transaction: exports its snapshot, so pg_dump (`--snapshot`) dumps exactly what this
   * transaction reads, and the manifest's totals are those of the dump even while the platform keeps trading.
   */
  async exportSnapshot(): Promise<string> {
    const [row] = (await this.db.query(`SELECT pg_export_snapshot() AS id`)) as { id: string }[];
    return row.id;
  }
}
