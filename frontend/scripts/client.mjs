// The web client's install and build, as run from the repository root:
//   node frontend/scripts/client.mjs install
//     `npm ci` in frontend/ unless node_modules matches package-lock.json
//   node frontend/scripts/client.mjs build [--force]
//     the production build (`npm run build`: ng build + bundle-size check), then the precompressed
//     `.br`/`.gz` copies of its text files (./precompress.mjs), unless no input changed since the last
//     successful build; --force builds anyway
// `npm install`/`npm ci` at the root run `install` (prepare); `npm start`, `npm test` and
// `npm run build:client` run `build`. "No input changed": a hash of the inputs' content
// (../../scripts/source-stamp.mjs) and the output as that build left it. The stamp
// (dist/frontend/.build-stamp) is removed before a build and written after it passed every check,
// so a failed or interrupted build leaves none and the next one builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildUnlessCurrent } from '../../scripts/source-stamp.mjs';
import { precompressAndReport } from './precompress.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => join(root, ...p);
/** The Angular workspace file is at the repository root (its one project lives here, in frontend/). */
const WORKSPACE = join('..', 'angular.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Written after a build that passed every check: its inputs' hash, its outputs as it left them. */
const STAMP = at('dist', 'frontend', '.build-stamp');
/** What the server serves first; a build that left none is no build. */
const OUTPUTS = [join('dist', 'frontend', 'browser', 'index.html')];
/** npm writes this last in an install; it is older than the lock file when the lock changed since. */
const INSTALLED = at('node_modules', '.package-lock.json');
/** Everything the production build reads, and what runs it. */
const INPUTS = [
  'src',
  'public',
  WORKSPACE,
  'package.json',
  'package-lock.json',
  // What is installed: npm rewrites it on every install.
  join('node_modules', '.package-lock.json'),
  'scripts',
  join('..', 'scripts', 'source-stamp.mjs'),
  ...readdirSync(root).filter((f) => /^tsconfig.*\.json$/.test(f)),
];

/** Unit tests and their helpers: not read by the production build. */
const TEST_ONLY = /\.spec\.ts$|^testing$/;

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function run(args) {
  const res = spawnSync(npm, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

function install() {
  if (mtime(INSTALLED) > mtime(at('package-lock.json'))) return;
  console.log('web client: installing its dependencies (npm ci in frontend/)');
  run(['ci', '--no-audit', '--no-fund']);
}

async function build() {
  install();
  const force = process.argv.includes('--force');
  const first = !existsSync(STAMP);
  const built = await buildUnlessCurrent({
    root,
    inputs: INPUTS,
    skip: TEST_ONLY,
    outputs: OUTPUTS,
    stamp: STAMP,
    force,
    build: async () => {
      const why = force
        ? '--force'
        : first
          ? 'no finished build yet'
          : 'changed since its last build';
      console.log(`web client: building (${why})`);
      run(['run', 'build', '--silent']);
      console.log(`web client: ${await precompressAndReport(at('dist', 'frontend', 'browser'))}`);
    },
  });
  if (!built) console.log('web client: frontend/dist is up to date');
}

const task = { install, build }[process.argv[2]];
if (!task) {
  console.error('usage: node frontend/scripts/client.mjs install|build');
  process.exit(2);
}
await task();
