import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PassThrough, pipeline } from 'node:stream';
import { BackupError, DumpSource } from './archive';

/** A PostgreSQL client program and its major version. */
export interface PgTool {
  path: string;
  /** `pg_dump (PostgreSQL) 15.20 (Debian …)`, first line. */
  version: string;
  major: number;
}

/**
 * The program to use: `configured` (PG_DUMP / PG_RESTORE) if set; else the one of the server's major version where
 * Debian and the postgres images put it (/usr/lib/postgresql/<major>/bin), else the one on PATH. It must be at least
 * the server's major version: pg_dump refuses a newer server, and a dump made by an older one may miss what it
 * does not know.
 */
export async function findPgTool(name: 'pg_dump' | 'pg_restore', configured: string | undefined, serverMajor: number): Promise<PgTool> {
  const setting = name === 'pg_dump' ? 'PG_DUMP' : 'PG_RESTORE';
  const bundled = `/usr/lib/postgresql/${serverMajor}/bin/${name}`;
  const path = configured ?? (existsSync(bundled) ? bundled : name);
  const version = await new Promise<string>((resolve, reject) =>
    execFile(path, ['--version'], { timeout: 10_000 }, (err, stdout) =>
      err
        ? reject(new BackupError(`cannot run ${path} (${err.message.split('\n')[0]}): install the PostgreSQL ${serverMajor} client or set ${setting}`))
        : resolve(stdout.trim().split('\n')[0]),
    ),
  );
  const major = Number(/\b(\d+)(?:\.\d+)?/.exec(version.replace(/^\S+ \(PostgreSQL\) /, ''))?.[1] ?? 0);
  if (major < serverMajor) {
    throw new BackupError(
      `${path} is ${version}, older than the PostgreSQL ${serverMajor} server: set ${setting} to a ${name} ${serverMajor} or newer (the compose file's backup service has one)`,
    );
  }
  return { path, version, major };
}

/** libpq's view of a connection URL: the URL without its password, which goes in PGPASSWORD (never on a command line). */
export function libpqConnection(url: string): { dbname: string; env: Record<string, string> } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: password ? { PGPASSWORD: password } : {} };
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // The programs need PATH, locale and HOME (for ~/.pgpass, ~/.postgresql certificates); nothing of the app's secrets.
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'PGSSLMODE', 'PGSSLROOTCERT', 'PGSSLCERT', 'PGSSLKEY', 'PGPASSFILE'];
  return { ...Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!])), ...extra };
}

/** pg_dump in the custom format (compressed), of the snapshot another session exported, streamed from its stdout. */
export function pgDump(tool: PgTool, url: string, snapshot: string): DumpSource {
  const { dbname, env } = libpqConnection(url);
  const child = spawn(tool.path, ['--format=custom', '--no-owner', '--no-privileges', `--snapshot=${snapshot}`, `--dbname=${dbname}`], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', (e) => reject(new BackupError(`${tool.path}: ${e.message}`)));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new BackupError(`pg_dump failed (exit ${code}): ${stderr.trim()}`))));
  });
  // A failure is reported through `done` (awaited after the last chunk); the stream's own end must not throw first.
  done.catch(() => undefined);
  // Read from now on, with backpressure: the archive starts reading only once its encryption is set up, and when the
  // child exits Node resumes any of its output streams nobody reads yet, which throws the unread output away (a small
  // database's dump was lost so, and the backup refused as empty). Piped here, stdout has its reader from the start.
  const chunks = new PassThrough();
  pipeline(child.stdout, chunks, () => undefined);
  return { chunks, done };
}

/**
 * pg_restore of a custom-format dump into `url`, in one transaction: an error anywhere rolls everything back, so the
 * database is left as empty as it was.
 */
export function pgRestore(tool: PgTool, url: string, file: string): Promise<void> {
  const { dbname, env } = libpqConnection(url);
  return new Promise((resolve, reject) => {
    execFile(
      tool.path,
      ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${dbname}`, file],
      { env: childEnv(env), maxBuffer: 16 << 20 },
      (err, _stdout, stderr) => (err ? reject(new BackupError(`pg_restore failed; nothing was restored: ${stderr.trim().slice(-4000)}`)) : resolve()),
    );
  });
}
