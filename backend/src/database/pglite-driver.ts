import { EventEmitter } from 'node:events';
import { cpSync, mkdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadPglite, PgliteSeed } from './pglite-template';
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
 * Server settings of the embedded database, over the data directory's postgresql.conf (initdb's defaults, sized for a
 * server). PGlite's whole memory is one WebAssembly heap that only grows, and its shared memory is zero-filled when it is
 * mapped, so every megabyte of shared_buffers is resident from the start: initdb's 128 MB was about 125 MB of the
 * embedded default's RSS, and 16 MB → 8 MB (PostgreSQL's own built-in default) took some 5-10 MB off its idle RSS
 * (bench/RESULTS.md, issue 22 goal 5). A single-user database of a few tens of MB needs few buffers; pages it re-reads
 * come from the operating system's page cache (its files are ordinary files in DATA_DIR). maintenance_work_mem (64 MB)
 * would, once an index build or VACUUM used it, stay in that heap for good.
 */
export const PGLITE_SETTINGS: readonly string[] = ['shared_buffers=8MB', 'maintenance_work_mem=16MB'];

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
export function createPgliteDriver(
  dataDir: string | undefined,
  busyTimeoutMs = 0,
  templateFor: (dataDir: string) => PgliteSeed | undefined = () => undefined,
): { Pool: new () => unknown; close(): Promise<void>; seededFrom(): PgliteSeed['kind'] | undefined } {
  let db: Promise<PgliteSession> | undefined;
  // What the data directory was seeded with when it was opened new (pglite-template.ts); undefined: opened as it was.
  let seededFrom: PgliteSeed['kind'] | undefined;
  const open = (): Promise<PgliteSession> => {
    db ??= (async () => {
      const seed = dataDir ? templateFor(dataDir) : undefined;
      if (dataDir) mkdirSync(dataDir, { recursive: true });
      // The migrated template is a closed cluster's directory: copied in, it is opened like any existing data directory.
      if (dataDir && seed?.kind === 'migrated') cpSync(seed.copyFrom, dataDir, { recursive: true });
      const { PGlite } = loadPglite();
      const options: { dataDir?: string; loadDataDir?: Blob; startParams: string[] } = {
        ...(dataDir ? { dataDir, ...(seed?.kind === 'initdb' ? { loadDataDir: seed.dump } : {}) } : {}),
        startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS.flatMap((setting) => ['-c', setting])],
      };
      const instance: PgliteSession = await PGlite.create(options);
      // The dump is unpacked by now: PGlite keeps its options, so drop the reference (the tarball, a few MB), and
      // collect the unpacking's garbage (≈ 100 MB of ArrayBuffers) now rather than at some later full GC.
      if (options.loadDataDir) {
        delete options.loadDataDir;
        collectGarbage();
      }
      seededFrom = seed?.kind;
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

  return { Pool, close, seededFrom: () => seededFrom };
}

/**
 * One full garbage collection. The unpacked template's buffers are unreachable once PGlite has copied the files out,
 * but they are old-generation garbage that nothing else in an idle process would collect for minutes, and their
 * memory stays resident until then. Node exposes `gc` only with --expose-gc; setting that flag at run time and taking
 * `gc` from a new context is what jest-leak-detector does. Once, on a new data directory's first start (a full GC of
 * this heap takes tens of ms).
 */
function collectGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    /* only memory is at stake */
  } finally {
    // V8's code cache records the flags it was made under (launcher.ts saves it after start-up): put them back as they were.
    setFlagsFromString('--no-expose-gc');
  }
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
