// Generates the Angular SDK (src/app/api) from the backend's committed ../openapi.json
// (`npm run openapi` at the repository root writes it).
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'ng-openapi-gen', 'lib', 'index.js'), '--config', join(root, 'ng-openapi-gen.json'), '--input', join(root, '..', 'openapi.json')],
  { cwd: root, stdio: 'inherit' },
);
