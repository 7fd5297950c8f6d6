// The web client's install and build, as run from the repository root:
//   node frontend/scripts/client.mjs install   `npm ci` in frontend/ unless node_modules matches package-lock.json
//   node frontend/scripts/client.mjs build     the production build (`npm run build`: ng build + bundle-size check)
//                                              unless the last successful build is newer than every input
// `npm install`/`npm ci` at the root run `install` (prepare); `npm start` and `npm test` run `build`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => join(root, ...p);
/** The Angular workspace file is at the repository root (its one project lives here, in frontend/). */
const WORKSPACE = join('..', 'angular.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Written after a build that passed every check; its age is the build's age. */
const STAMP = at('dist', 'frontend', '.build-stamp');
/** npm writes this last in an install; it is older than the lock file when the lock changed since. */
const INSTALLED = at('node_modules', '.package-lock.json');
/** Everything the production build reads. */
const INPUTS = [
  'src',
  'public',
  WORKSPACE,
  'package.json',
  'package-lock.json',
  ...readdirSync(root).filter((f) => /^tsconfig.*\.json$/.test(f)),
];

/** Unit tests and their helpers: not read by the production build. */
const TEST_ONLY = /\.spec\.ts$|^testing$/;

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

/** The newest file under `path` (a file or a directory): [mtime, path]. */
function newest(path) {
  if (!existsSync(path)) return [0, path];
  const stat = statSync(path);
  if (!stat.isDirectory()) return [stat.mtimeMs, path];
  let best = [stat.mtimeMs, path]; // a deleted file shows only as its directory's mtime
  for (const entry of readdirSync(path)) {
    if (TEST_ONLY.test(entry)) continue;
    const found = newest(join(path, entry));
    if (found[0] > best[0]) best = found;
  }
  return best;
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

function build() {
  install();
  const built = mtime(STAMP);
  const [changed, by] = INPUTS.map((p) => newest(at(p))).reduce((a, b) => (b[0] > a[0] ? b : a));
  if (built > changed) {
    console.log('web client: frontend/dist is up to date');
    return;
  }
  console.log(
    built
      ? `web client: rebuilding (${relative(root, by)} changed)`
      : 'web client: building (first build)',
  );
  run(['run', 'build', '--silent']);
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

const task = { install, build }[process.argv[2]];
if (!task) {
  console.error('usage: node frontend/scripts/client.mjs install|build');
  process.exit(2);
}
task();
