import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { pgliteTemplateFor } from './pglite-template';
import { PreparedQuery, sqlText } from './prepared';

interface RawResult {
  rows: unknown[];
  affectedRows?: number;
  fields: { name: string; dataTypeID: number }[];
}

/** The part of PGlite this driver uses. */
interface PgliteSession {
  query(sql: string, params?: unknown[]): Promise<RawResult>;
  exec(sql: string): Promise<RawResult[]>;
  close(): Promise<void>;
  readonly closed: boolean;
}

type Callback<T> = (err: Error | null, value?: T) => void;

interface PgLikeResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: { name: string; dataTypeID: number }[];
}

/**
 * A `pg`-compatible driver over PGlite for TypeORM's postgres dialect.
 *
 * PGlite is a single Postgres session. A pool that handed the same session to
 * two callers at once would interleave their transactions (one's COMMIT would
 * commit the other's half-done work), so this pool has exactly one client and
 * `connect()` waits until the previous holder releases it: transactions are
 * serialised, as they would be on a pool of size one.
 */
export function createPgliteDriver(dataDir: string | undefined): { Pool: new () => unknown; close(): Promise<void> } {
  let db: Promise<PgliteSession> | undefined;
  const open = (): Promise<PgliteSession> => {
    db ??= (async () => {
      const loadDataDir = dataDir ? pgliteTemplateFor(dataDir) : undefined;
      if (dataDir) mkdirSync(dataDir, { recursive: true });
      const { PGlite } = await import('@electric-sql/pglite');
      const instance: PgliteSession = await PGlite.create(dataDir ? { dataDir, ...(loadDataDir ? { loadDataDir } : {}) } : {});
      return instance;
    })();
    return db as Promise<PgliteSession>;
  };

  let queue: Promise<void> = Promise.resolve();
  const acquire = (): Promise<() => void> => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const ready = queue.then(() => release);
    queue = queue.then(() => held);
    return ready;
  };

  const toResult = (sql: string, r: RawResult): PgLikeResult => {
    const command = (/^\s*(\w+)/.exec(sql)?.[1] ?? '').toUpperCase();
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length, command, fields: r.fields };
  };

  class Client extends EventEmitter {
    async query(query: string | PreparedQuery, params?: unknown[], cb?: Callback<PgLikeResult>): Promise<PgLikeResult> {
      const sql = sqlText(query);
      if (typeof params === 'function') {
        cb = params as unknown as Callback<PgLikeResult>;
        params = undefined;
      }
      try {
        const pg = await open();
        let result: PgLikeResult;
        if (params && params.length) {
          result = toResult(sql, await pg.query(sql, params));
        } else {
          const all = await pg.exec(sql);
          const last = all[all.length - 1] ?? { rows: [], fields: [] };
          result = toResult(sql, last);
        }
        cb?.(null, result);
        return result;
      } catch (e) {
        cb?.(e as Error);
        throw e;
      }
    }
  }

  class Pool extends EventEmitter {
    connect(cb: (err: Error | null, client?: Client, release?: () => void) => void): void {
      acquire().then(
        async (release) => {
          try {
            await open();
            cb(null, new Client(), release);
          } catch (e) {
            release();
            cb(e as Error);
          }
        },
        (e: Error) => cb(e),
      );
    }
    end(cb?: (err?: Error | null) => void): void {
      close().then(
        () => cb?.(null),
        (e: Error) => cb?.(e),
      );
    }
  }

  const close = async (): Promise<void> => {
    if (!db) return;
    const pg = await db;
    db = undefined;
    if (!pg.closed) await pg.close();
  };

  return { Pool, close };
}
