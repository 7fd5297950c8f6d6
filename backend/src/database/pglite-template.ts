import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { backendRoot } from '../config/backend-root';

/**
 * A freshly initialised PGlite cluster, dumped once (at `npm install`) and
 * unpacked at first boot instead of running initdb in WebAssembly, which is
 * most of a first start (≈5 s on a quiet 2-core machine, 13 s on a busy one,
 * against ≈1–3 s to unpack). Keyed by the PGlite version, so an upgrade makes
 * a new one; without it the first boot simply runs initdb.
 */
export function pgliteVersion(): string {
  try {
    // The package's exports map hides package.json: walk up from its entry point.
    for (let dir = dirname(require.resolve('@electric-sql/pglite')); dir !== dirname(dir); dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (pkg.name === '@electric-sql/pglite') return pkg.version;
    }
  } catch {
    /* fall through */
  }
  return 'unknown';
}

export function pgliteTemplatePath(): string {
  return join(backendRoot(), '.cache', `pglite-initdb-${pgliteVersion()}.tar.gz`);
}

/** The template to unpack into a new, empty data directory, if one was made. */
export function pgliteTemplateFor(dataDir: string): Blob | undefined {
  const empty = !existsSync(dataDir) || readdirSync(dataDir).length === 0;
  const template = pgliteTemplatePath();
  if (!empty || !existsSync(template)) return undefined;
  return new Blob([readFileSync(template)]);
}

/** Makes the template if it is missing (idempotent; written atomically). */
export async function ensurePgliteTemplate(): Promise<{ path: string; created: boolean }> {
  const path = pgliteTemplatePath();
  if (existsSync(path)) return { path, created: false };
  const { PGlite } = loadPglite();
  const db = await PGlite.create();
  const dump = await db.dumpDataDir('gzip');
  await db.close();
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, path);
  return { path, created: true };
}

/**
 * PGlite, loaded on first use (only the embedded default needs it) through its CommonJS build. Not `import()`: the
 * server runs as a bundle compiled from V8's code cache (launcher.ts), and Node 20 loses the dynamic-import hook of
 * a script restored from that cache, so an `import()` there fails with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING.
 */
export function loadPglite(): typeof import('@electric-sql/pglite') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy and synchronous on purpose (see above)
  return require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
}
