// Generates the Angular SDK (src/app/api) from the backend's committed ../openapi.json
// (`npm run openapi` at the repository root writes it), then src/app/api/constraints.ts: each request body's field
// rules for the client's validation (scripts/constraints.mjs).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConstraints } from './constraints.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'ng-openapi-gen', 'lib', 'index.js'), '--config', join(root, 'ng-openapi-gen.json'), '--input', join(root, '..', 'openapi.json')],
  { cwd: root, stdio: 'inherit' },
);
// After ng-openapi-gen, which removes files it did not write (removeStaleFiles).
const openapi = JSON.parse(readFileSync(join(root, '..', 'openapi.json'), 'utf8'));
writeFileSync(join(root, 'src', 'app', 'api', 'constraints.ts'), renderConstraints(openapi));
