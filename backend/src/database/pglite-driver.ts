import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { loadPglite, pgliteTemplateFor } from './pglite-template';
import { AppError } from '../common/errors/app-error';
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
 * serialised, as they would be on a pool of size one. A caller that waits
 * longer than `busyTimeoutMs` (0: forever) gets 503 DATABASE_BUSY instead of
 * waiting on: a stuck holder cannot take every later request down with it.
 */
export function createPgliteDriver(dataDir: string | undefined, busyTimeoutMs = 0): { Pool: new () => unknown; close(): Promise<void> } {
  let db: Promise<PgliteSession> | undefined;
  const open = (): Promise<PgliteSession> => {
    db ??= (async () => {
      const loadDataDir = dataDir ? pgliteTemplateFor(dataDir) : undefined;
      if (dataDir) mkdirSync(dataDir, { recursive: true });
      const { PGlite } = loadPglite();
      const instance: PgliteSession = await PGlite.create(dataDir ? { dataDir, ...(loadDataDir ? { loadDataDir } : {}) } : {});
      return instance;
    })();
    return db as Promise<PgliteSession>;
  };

  // The one session, and the callers waiting for it in arrival order. A waiter that gave up
  // (busyTimeoutMs) is taken off the line, so the session never goes to a caller that left.
  let busy = false;
  const waiting: { grant: (release: () => void) => void; timer?: NodeJS.Timeout }[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (!next) {
      busy = false;
      return;
    }
    if (next.timer) clearTimeout(next.timer);
    next.grant(once(release));
  };
  const acquire = (): Promise<() => void> => {
    if (!busy) {
      busy = true;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const waiter: (typeof waiting)[number] = { grant: resolve };
      if (busyTimeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          const at = waiting.indexOf(waiter);
          if (at >= 0) waiting.splice(at, 1);
          reject(databaseBusy());
        }, busyTimeoutMs);
      }
      waiting.push(waiter);
    });
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

/** What a request gets when the embedded database's one connection stayed taken for too long. */
export function databaseBusy(): AppError {
  return new AppError(503, 'DATABASE_BUSY', 'The database is busy; please retry shortly', undefined, { 'Retry-After': '2' });
}

/** `release` that only the first call does: a client released twice must not hand the session on twice. */
function once(release: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release();
  };
}
