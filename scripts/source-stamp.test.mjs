// node --test scripts/source-stamp.test.mjs (part of `npm test`, scripts/test.mjs): when `npm start`, `npm test` and
// `npm run build` skip the backend's and the web client's builds (scripts/source-stamp.mjs) — never when something
// they read changed, or their output is gone, or the last build did not finish.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildUnlessCurrent, hashInputs } from './source-stamp.mjs';

let root;
const write = (path, text) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const hash = () => hashInputs(root, ['src', 'tsconfig.json'], { skip: /\.spec\.ts$/ }).hash;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cv-source-stamp-'));
  write('src/main.ts', 'export const a = 1;\n');
  write('src/orders/orders.ts', 'export const b = 2;\n');
  write('src/orders/orders.spec.ts', 'test();\n');
  write('tsconfig.json', '{}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the hash of the build inputs', () => {
  it('stays the same for an untouched tree, even when its files are touched', () => {
    const before = hash();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src/main.ts'), later, later);
    assert.equal(hash(), before);
  });

  it('changes when a file changes, even one of the same size behind its old time', () => {
    const before = hash();
    const { atime, mtime } = statSync(join(root, 'src/orders/orders.ts'));
    write('src/orders/orders.ts', 'export const b = 3;\n');
    utimesSync(join(root, 'src/orders/orders.ts'), atime, mtime);
    assert.notEqual(hash(), before);
  });

  it('changes when a file is added, removed or renamed, and when a named input file is missing', () => {
    const start = hash();
    write('src/orders/limits.ts', 'export {};\n');
    const added = hash();
    assert.notEqual(added, start);
    rmSync(join(root, 'src/orders/limits.ts'));
    assert.equal(hash(), start);
    rmSync(join(root, 'src/main.ts'));
    write('src/app.ts', 'export const a = 1;\n');
    assert.notEqual(hash(), start);
    rmSync(join(root, 'tsconfig.json'));
    assert.notEqual(hash(), start);
  });

  it('leaves out what the build does not read (unit tests)', () => {
    const before = hash();
    write('src/orders/orders.spec.ts', 'test(); test();\n');
    write('src/orders/more.spec.ts', 'test();\n');
    assert.equal(hash(), before);
  });
});

describe('a build skipped unless its inputs or outputs changed', () => {
  const stamp = () => join(root, 'dist/.build-stamp.json');
  /** Builds like a compiler: dist/main.js from src/main.ts. Resolves with whether it ran. */
  const build = ({ fail = false, force = false } = {}) =>
    buildUnlessCurrent({
      root,
      inputs: ['src', 'tsconfig.json'],
      skip: /\.spec\.ts$/,
      outputs: ['dist/main.js'],
      stamp: stamp(),
      force,
      build: async () => {
        write('dist/main.js', readFileSync(join(root, 'src/main.ts')));
        if (fail) throw new Error('tsc: error TS2322');
      },
    });

  it('builds the first time, then skips while nothing changed', async () => {
    assert.equal(await build(), true);
    assert.equal(await build(), false);
    assert.equal(await build(), false);
  });

  it('builds again when an input changed', async () => {
    await build();
    write('tsconfig.json', '{ "strict": true }\n');
    assert.equal(await build(), true);
    assert.equal(await build(), false);
  });

  it('builds again when its output is missing or something else rewrote it', async () => {
    await build();
    rmSync(join(root, 'dist/main.js'));
    assert.equal(await build(), true);
    write('dist/main.js', 'something else');
    assert.equal(await build(), true);
    assert.equal(await build(), false);
  });

  it('leaves no stamp after a build that failed, so the next one builds even with nothing changed', async () => {
    await build();
    await assert.rejects(build({ force: true, fail: true }));
    assert.throws(() => statSync(stamp()), { code: 'ENOENT' });
    assert.equal(await build(), true);
    assert.equal(await build(), false);
  });

  it('builds when forced', async () => {
    await build();
    assert.equal(await build({ force: true }), true);
  });
});
