import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build:client` puts the production build: the backend's default CLIENT_DIR. */
export const CLIENT_DIR = join(__dirname, '..', '..', 'frontend', 'dist', 'frontend', 'browser');

/** The built client's index.html; throws with the command to run when the client is not built. */
export function builtIndexHtml(): string {
  const index = join(CLIENT_DIR, 'index.html');
  if (!existsSync(index)) throw new Error(`the web client is not built (${index} is missing): run \`npm run build:client\` (npm test does)`);
  return readFileSync(index, 'utf8');
}
