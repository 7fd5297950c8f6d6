// Generates the Angular SDK (src/app/api) from the backend's committed ../openapi.json.
// The spec is read as is; two things ng-openapi-gen cannot digest are adjusted in a
// temporary copy only (the committed spec is never changed):
//  - security requirements naming a scheme that components.securitySchemes lacks
//    (`access_token` while the scheme is called `cookie`) are dropped: the client
//    authenticates with cookies and needs no per-operation security metadata;
//  - operation ids that are not identifiers (`csrfToken[0]`) become `csrfToken0`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const spec = JSON.parse(readFileSync(join(root, '..', 'openapi.json'), 'utf8'));
const schemes = new Set(Object.keys(spec.components?.securitySchemes ?? {}));

for (const methods of Object.values(spec.paths)) {
  for (const op of Object.values(methods)) {
    if (typeof op !== 'object' || op === null) continue;
    if (Array.isArray(op.security)) {
      op.security = op.security
        .map((req) => Object.fromEntries(Object.entries(req).filter(([k]) => schemes.has(k))))
        .filter((req) => Object.keys(req).length > 0);
    }
    if (typeof op.operationId === 'string') {
      op.operationId = op.operationId.replace(/[^A-Za-z0-9_]/g, '');
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), 'cv-sdk-'));
const input = join(dir, 'openapi.json');
writeFileSync(input, JSON.stringify(spec));
try {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'ng-openapi-gen', 'lib', 'index.js'), '--config', join(root, 'ng-openapi-gen.json'), '--input', input],
    { cwd: root, stdio: 'inherit' },
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
