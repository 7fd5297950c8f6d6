#!/usr/bin/env node
// `npm test` after the builds: the web client's unit tests (vitest, one process), the jest projects (unit,
// medium, e2e, browser) and the build-skip tests (node --test) at the same time. The e2e and browser suites spend
// much of their time waiting on servers and a browser, so the client's tests fit beside them on two cores instead of
// before them. The buffered outputs are printed whole when each ends (not interleaved with jest's); the run fails when
// any fails.
import { spawn } from 'node:child_process';

const JEST_WORKERS = process.env.JEST_WORKERS ?? '3';

function run(name, command, args, { buffered }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit', shell: false });
    let out = '';
    if (buffered) {
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
    }
    child.on('close', (code, signal) => {
      if (buffered) process.stdout.write(`\n== ${name} ==\n${out}`);
      resolve({ name, code: code ?? (signal ? 1 : 0) });
    });
  });
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const results = await Promise.all([
  run('web client tests (npm run test:client)', npm, ['run', 'test:client', '--silent'], { buffered: true }),
  // When `npm start` and `npm test` skip their builds (scripts/source-stamp.mjs): never after a change or a failed build.
  run('build skip tests (node --test scripts/source-stamp.test.mjs)', process.execPath, ['--test', 'scripts/source-stamp.test.mjs'], { buffered: true }),
  run(
    'jest',
    process.execPath,
    ['node_modules/jest/bin/jest.js', '--selectProjects', 'unit', 'medium', 'e2e', 'browser', `--maxWorkers=${JEST_WORKERS}`, ...process.argv.slice(2)],
    {
      buffered: false,
    },
  ),
]);
const failed = results.filter((r) => r.code !== 0);
for (const r of failed) console.error(`${r.name} failed (exit ${r.code})`);
process.exit(failed.length ? 1 : 0);
