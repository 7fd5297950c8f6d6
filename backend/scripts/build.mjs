// The backend's build (`npm run build` at the root, `npm run build -w backend`): tsc (backend/tsconfig.build.json, into
// dist/) and then the bundle (scripts/bundle.mjs) — unless nothing it reads changed since the last build that
// succeeded. `npm start` and `npm test` run this first; with nothing changed it takes some 0.1 s instead of a
// compile and a bundle. An explicit `npm run build` skips the same way (everything that builds first — install,
// `npm run openapi`, `migrate`, the test tiers, the benches — calls it); `--force` builds anyway, tsc from scratch:
//
//   node backend/scripts/build.mjs [--force]        (also `npm run build -- --force`)
//
// "Nothing changed" is a hash of the content of every input (scripts/source-stamp.mjs): the sources without their
// unit tests (tsconfig.build.json leaves them out), the tsconfig files, the installed packages (npm rewrites
// node_modules/.package-lock.json on every install) and lock file, these scripts and Node's version; and the outputs
// as that build left them. When anything differs, tsc runs as `tsc -p` with its incremental state: unlike `tsc -b`,
// whose up-to-date check trusts file times, it compares each file's content with the state's, so a file changed
// behind an old time is compiled too; and the bundle is made again. The stamp (dist/.build-stamp.json) is removed
// before a build and written after it succeeded: a failed or interrupted build leaves none, and the next one builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildUnlessCurrent, hashInputs } from '../../scripts/source-stamp.mjs';

const backend = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(backend, '..');
const force = process.argv.includes('--force');
const stamp = join(backend, 'dist', '.build-stamp.json');
const why = force ? '--force' : existsSync(stamp) ? 'changed since its last build' : 'no finished build yet';

const built = await buildUnlessCurrent({
  root,
  inputs: [
    'backend/src',
    'backend/tsconfig.json',
    'backend/tsconfig.build.json',
    'backend/package.json',
    'backend/scripts',
    'tsconfig.base.json',
    'package-lock.json',
    'node_modules/.package-lock.json',
    'scripts/source-stamp.mjs',
  ],
  // Unit tests: not compiled by tsconfig.build.json.
  skip: /\.spec\.ts$/,
  extra: [`node ${process.version}`],
  // What main.js reads and checks (launcher.ts: the bundle must be newer than server.js and .tsbuildinfo).
  outputs: ['backend/dist/server.bundle.js', 'backend/dist/server.js', 'backend/dist/main.js', 'backend/dist/.tsbuildinfo'],
  stamp,
  force,
  build: async () => {
    process.stderr.write(`backend: building backend/dist (${why})\n`);
    // From scratch: tsc -p trusts its incremental state for files whose outputs were removed since.
    if (force) rmSync(join(backend, 'dist', '.tsbuildinfo'), { force: true });
    const tsc = createRequire(join(backend, 'package.json')).resolve('typescript/bin/tsc');
    const res = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: backend, stdio: 'inherit' });
    if (res.status !== 0) process.exit(res.status ?? 1);
    const { bundle } = await import('./bundle.mjs');
    await bundle();
  },
});
if (!built) process.stderr.write('backend: backend/dist is up to date (build skipped; --force builds anyway)\n');

// The embedded database's migrated template (src/database/pglite-template.ts): a closed cluster's directory with every
// migration applied, copied in by a first boot (an earlier build's tarball is replaced). Checked after every build, made or skipped, against its manifest: made again (some 6-8 s
// of CPU) only when the migration files or PGlite's version changed since, or it is missing; otherwise this costs a
// hash of the migration files (milliseconds). Not fatal: without it a first boot runs the migrations itself.
const templates = join(backend, '.cache');
const sources = hashInputs(root, ['backend/src/database/migrations'], { skip: /\.spec\.ts$/ }).hash;
if (!templateCurrent(sources)) {
  const res = spawnSync(process.execPath, [join(backend, 'dist', 'cli', 'pglite-template.js'), '--sources-hash', sources], { stdio: 'inherit' });
  if (res.status !== 0) process.stderr.write('backend: the embedded database template was not made; a first boot runs the migrations\n');
}

function templateCurrent(hash) {
  try {
    const manifest = JSON.parse(readFileSync(join(templates, 'pglite-migrated.json'), 'utf8'));
    return manifest.sources === hash && manifest.file.startsWith(`pglite-migrated-${pgliteVersion()}-`) && existsSync(join(templates, manifest.file, 'PG_VERSION'));
  } catch {
    return false;
  }
}

/** As src/database/pglite-template.ts finds it: the package's exports map hides its package.json. */
function pgliteVersion() {
  for (let dir = dirname(createRequire(join(backend, 'package.json')).resolve('@electric-sql/pglite')); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (pkg.name === '@electric-sql/pglite') return pkg.version;
  }
  throw new Error('@electric-sql/pglite: no package.json');
}
