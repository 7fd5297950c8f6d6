import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** Emitted on `process` by the server (server.ts) once it listens. */
export const LISTENING_EVENT = 'cryptovault:listening';

/** The server and everything it imports except native and optional packages, in one file (scripts/bundle.mjs). */
export const BUNDLE_NAME = 'server.bundle.js';

export interface LaunchOptions {
  /** Where V8's code cache is kept; unset: beside the bundle; false: no cache. */
  cacheDir?: string | false;
  log?: (message: string) => void;
}

/**
 * The bundle's text. The build writes it in ASCII only (scripts/bundle.mjs `asciiOnly`), and ASCII decoded as Latin-1
 * is the same string, made without the UTF-8 decoder's work: for the bundle's 9 MB, 69–95 ms instead of 108–157 ms on
 * a quiet machine (Node 20), 40–160 instead of 190–620 ms on a busy one; some 3 % of a start's CPU when quiet. A file
 * with any other byte is decoded as UTF-8, as before.
 */
export function sourceText(file: string): string {
  const bytes = readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/**
 * Runs the bundled server (`dist/server.bundle.js`) with V8's code cache: the first start compiles as usual and, once
 * the server listens, saves the compiled code; later starts load it instead of parsing and compiling again. That is
 * what Node 22's `module.enableCompileCache()` does; Node 20 (ours) lacks it, and a single bundle needs one cache
 * file, not one per module. Loading one file instead of about 3,000 also spares the module resolution that
 * dominated a start (see docs/ARCHITECTURE.md, "How the backend starts").
 *
 * No `import()` may run inside the bundle: Node 20 loses the dynamic-import hook of a script restored from a code
 * cache (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so the few packages left out of it are loaded with `require`
 * (PGlite through its CommonJS build, see database/pglite-template.ts). Nest's `import()` of optional packages it
 * probes for (microservices, socket.io) fails either way and is caught as "not installed".
 *
 * The cache is keyed by Node's version, the architecture, the bundle's size and time and the V8 flags (NODE_OPTIONS and
 * the command line's); V8 checks it again and refuses one that does not fit (then it is rewritten). It is an
 * optimisation only: a cache that cannot be read or written (a read-only image) changes nothing but the start-up time.
 */
export function launch(bundle: string, opts: LaunchOptions = {}): void {
  const source = sourceText(bundle);
  if (opts.cacheDir === false) {
    run(new Script(Module.wrap(source), { filename: bundle }), bundle);
    return;
  }
  // The build's identity without hashing 12 MB at every start: size and time of the bundle. V8 checks the source
  // again itself (and refuses a cache made for other code).
  const { size, mtimeMs } = statSync(bundle);
  const buildKey = createHash('sha256').update(`${process.version} ${process.arch} ${size} ${mtimeMs}`).digest('hex').slice(0, 16);
  // V8 refuses a cache made under other V8 flags (a heap limit is one: backend/scripts/run.sh sets it, the tests do
  // not): each set of flags keeps its own file, or starts with and without them would recompile and overwrite in turn.
  const flagsKey = createHash('sha256')
    .update(`${process.execArgv.join(' ')}\n${process.env.NODE_OPTIONS ?? ''}`)
    .digest('hex')
    .slice(0, 8);
  const cacheFile = join(opts.cacheDir ?? dirname(bundle), `.${BUNDLE_NAME}.${buildKey}.${flagsKey}.v8-cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    /* first start of this build */
  }
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  const usable = cachedData !== undefined && !script.cachedDataRejected;
  if (!usable) {
    process.once(LISTENING_EVENT, () => {
      // Written after start-up has run, so the functions compiled lazily on the way are in it too.
      const dir = dirname(cacheFile);
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
        // The caches of earlier builds are of no further use (this build's, under other flags, are).
        for (const name of readdirSync(dir)) {
          if (!name.startsWith(`.${BUNDLE_NAME}.`) || !name.endsWith('.v8-cache') || name.startsWith(`.${BUNDLE_NAME}.${buildKey}.`)) continue;
          try {
            unlinkSync(join(dir, name));
          } catch {
            /* another start removed it first */
          }
        }
      } catch (e) {
        opts.log?.(`code cache not saved (${(e as Error).message}); starts stay uncached`);
        try {
          unlinkSync(tmp);
        } catch {
          /* never written */
        }
      }
    });
  }
  run(script, bundle);
}

/** Runs the wrapped bundle as Node runs a CommonJS module: its own `module`, `exports` and a `require` from its directory. */
function run(script: Script, bundle: string): void {
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(bundle));
  wrapper.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
}

/**
 * Whether `bundle` exists and is at least as new as tsc's last emit beside it (else it is stale): `server.js` and
 * `.tsbuildinfo`, which an incremental tsc (e.g. `nest start --watch`) rewrites whenever it emits any file.
 */
export function bundleIsCurrent(bundle: string): boolean {
  const mtime = (name: string): number => {
    try {
      return statSync(join(dirname(bundle), name)).mtimeMs;
    } catch {
      return 0;
    }
  };
  try {
    return statSync(bundle).mtimeMs >= Math.max(mtime('server.js'), mtime('.tsbuildinfo'));
  } catch {
    return false;
  }
}
