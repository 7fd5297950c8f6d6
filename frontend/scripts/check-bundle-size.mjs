// Fails the production build when the initial JavaScript, gzipped, is over budget.
// angular.json's budgets count raw bytes; what a user downloads before the first
// paint is the gzipped size of the scripts index.html loads (its module script and
// modulepreloads) and everything they import statically (Angular writes at most ten
// modulepreload links, so the import graph is followed), and what the entry script imports dynamically (the app
// itself, started once the translations are loaded: see src/main.ts). Run by `npm run build` after `ng build`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LIMIT_BYTES = 173 * 1000; // 173 kB, in the kB (1000 bytes) of Angular's own budget report (issue 17: i18n in, no bigger than before it)
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? join(root, 'dist', 'frontend', 'browser');

const html = readFileSync(join(dir, 'index.html'), 'utf8');
const scripts = new Set();
for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
  const isScript = tag.startsWith('<script') && /\bsrc="([^"]+)"/.test(tag);
  const isPreload = tag.startsWith('<link') && /\brel="modulepreload"/.test(tag);
  if (!isScript && !isPreload) continue;
  const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
  if (url && !/^[a-z]+:|^\/\//i.test(url)) scripts.add(url.replace(/^\//, ''));
}
// Static `import … from "./chunk.js"`, `import "./chunk.js"` and `export … from "./chunk.js"`; never `import("./chunk.js")`.
const STATIC_IMPORT =
  /(?:^|[;\s}])(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["']\.\/([^"']+\.m?js)["']/g;
// main.ts loads the language's translations and the display rate first, then imports the app (and Angular's locale
// data for German or Spanish): what the entry script imports dynamically is part of every start, counted too.
const DYNAMIC_IMPORT = /\bimport\(\s*["']\.\/([^"']+\.m?js)["']\s*\)/g;
const entries = [...scripts].filter((f) => /^main-[\w-]*\.m?js$/.test(f));
for (const entry of entries) {
  for (const m of readFileSync(join(dir, entry), 'utf8').matchAll(DYNAMIC_IMPORT)) scripts.add(m[1]);
}
for (const file of scripts) {
  for (const m of readFileSync(join(dir, file), 'utf8').matchAll(STATIC_IMPORT)) scripts.add(m[1]);
}
if (scripts.size === 0) {
  console.error(`bundle size: index.html in ${dir} loads no scripts; is this an Angular build?`);
  process.exit(1);
}

let raw = 0;
let gzipped = 0;
for (const file of scripts) {
  const bytes = readFileSync(join(dir, file));
  raw += bytes.length;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const summary = `initial JavaScript: ${scripts.size} files, ${kb(raw)} raw, ${kb(gzipped)} gzipped (limit ${kb(LIMIT_BYTES)} gzipped)`;
if (gzipped > LIMIT_BYTES) {
  console.error(
    `bundle size: ${summary}: over budget. Lazy-load what the first screen does not need (loadComponent/loadChildren).`,
  );
  process.exit(1);
}
console.log(`bundle size: ${summary}`);
