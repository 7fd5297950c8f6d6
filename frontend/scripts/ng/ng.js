#!/usr/bin/env node
// `ng` for the Angular workspace at the repository root (angular.json), whose one project lives in
// frontend/ with its own install (frontend/node_modules, made by the root `prepare`:
// frontend/scripts/client.mjs install). `npx ng …` at the root reaches this file through the root
// devDependency "@cryptovault/ng": "file:frontend/scripts/ng"; frontend/package.json's scripts run
// it too. It runs the client's Angular CLI with frontend/node_modules on NODE_PATH, because the CLI
// and its builders resolve @angular/* from the workspace root: the root then needs no second copy
// of the Angular toolchain (about 300 packages).
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { delimiter, join } = require('node:path');

const modules = join(__dirname, '..', '..', 'node_modules');
const cli = join(modules, '@angular', 'cli', 'bin', 'ng.js');
if (!existsSync(cli)) {
  console.error("ng: the web client's dependencies are not installed (frontend/node_modules): run `npm install` at the repository root");
  process.exit(1);
}
const nodePath = [modules, process.env.NODE_PATH].filter(Boolean).join(delimiter);
const res = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, NODE_PATH: nodePath } });
if (res.signal) process.kill(process.pid, res.signal);
process.exit(res.status ?? 1);
