// After `ng build`: the build names the client's own page (the one every route the server does not render gets)
// browser/index.csr.html, since it also writes a server bundle (angular.json "outputMode": "server"). The backend
// serves browser/ as it is, so the page is renamed to index.html, the name a static server and the backend look for.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const browser = join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'frontend', 'browser');
const csr = join(browser, 'index.csr.html');
if (existsSync(csr)) renameSync(csr, join(browser, 'index.html'));
if (!existsSync(join(browser, 'index.html'))) {
  console.error(`index page: no index.html nor index.csr.html in ${browser}; is this an Angular build?`);
  process.exit(1);
}
