import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { startBackend } from './bench/support/start-backend.mjs';
import { mkdtempSync } from 'node:fs';
const fromBench = createRequire(new URL('./bench/lighthouse/package.json', import.meta.url));
const { default: lighthouse } = await import(pathToFileURL(fromBench.resolve('lighthouse')).href);
const chromeLauncher = await import(pathToFileURL(fromBench.resolve('chrome-launcher')).href);
const FL = ['--headless=new','--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run','--disable-quic'];
const dirs = process.argv.slice(2);
const urls = {};
const kids = [];
for (const d of dirs) { const { child, port } = await startBackend('backend/dist/main.js', { PATH: process.env.PATH, DATA_DIR: mkdtempSync('/tmp/cvx-'), LOG_LEVEL: 'warn', CLIENT_DIR: d, SERVER_RENDER: 'false' }); kids.push(child); urls[d] = `http://127.0.0.1:${port}/`; }
for (let i = 0; i < 3; i++) for (const d of dirs) {
  const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: FL, logLevel: 'silent' });
  const r = await lighthouse(urls[d], { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
  const a = r.lhr.audits; const doc = a['network-requests'].details.items[0];
  console.log(d, 'FCP', Math.round(a['first-contentful-paint'].numericValue), 'doc transfer', doc.transferSize, 'bootup', JSON.stringify(a['mainthread-work-breakdown'].details.items.map(x=>[x.group,Math.round(x.duration)])));
  await chrome.kill();
}
for (const k of kids) k.kill();
process.exit(0);
