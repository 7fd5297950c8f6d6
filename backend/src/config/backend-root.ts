import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/**
 * The backend package's directory (the one holding its `package.json`), found by walking up from this file. The
 * same answer whether this module runs from `dist/config/` (tsc's output, e.g. `nest start --watch`) or from inside
 * `dist/server.bundle.js` (what `npm start` runs), where `__dirname` is the bundle's directory.
 */
export function backendRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@cryptovault/backend') return (root = dir);
    if (dirname(dir) === dir) throw new Error(`backendRoot: no @cryptovault/backend package.json above ${__dirname}`);
  }
}
