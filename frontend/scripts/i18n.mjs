#!/usr/bin/env node
// The client's translations (src/locale/<lang>.json, the "simple JSON" of `ng extract-i18n --format json`, which
// src/main.ts hands to loadTranslations). Commands:
//   node scripts/i18n.mjs check            extract the English messages and fail unless German and Spanish translate
//                                          every one, keep every placeholder, and carry no message that is gone
//   node scripts/i18n.mjs todo <lang> [path-prefix…]
//                                          the messages <lang> lacks (id → English), only those found under the
//                                          given source paths (e.g. src/app/features/wallet) when any are named
//   node scripts/i18n.mjs merge <file…>    add translations from part files ({"<lang>": {id: text}} or
//                                          {"locale": "<lang>", "translations": {…}}) into src/locale/<lang>.json
// Extraction builds the client (about 15 s); its output goes to frontend/.i18n/ (not committed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const frontend = join(dirname(fileURLToPath(import.meta.url)), '..');
const LOCALE_DIR = join(frontend, 'src', 'locale');
const OUT = join(frontend, '.i18n');
export const LANGUAGES = ['de', 'es'];

function extract(format) {
  mkdirSync(OUT, { recursive: true });
  const outFile = format === 'json' ? 'messages.json' : 'messages.xlf';
  // CI=1: no persistent build cache, so two extractions at once never share one.
  const res = spawnSync(
    process.execPath,
    [join(frontend, 'scripts', 'ng', 'ng.js'), 'extract-i18n', '--format', format, '--output-path', relative(join(frontend, '..'), OUT), '--out-file', outFile],
    { cwd: join(frontend, '..'), encoding: 'utf8', env: { ...process.env, CI: '1', NG_CLI_ANALYTICS: 'false' } },
  );
  if (res.status !== 0) {
    process.stderr.write(res.stdout + res.stderr);
    throw new Error(`ng extract-i18n --format ${format} failed`);
  }
  return readFileSync(join(OUT, outFile), 'utf8');
}

/** id → English text with {$PLACEHOLDER}s. */
function englishMessages() {
  return JSON.parse(extract('json')).translations;
}

/** id → the source files it appears in (from XLIFF 2's location notes). */
function locations() {
  const xlf = extract('xlf2');
  const where = {};
  for (const unit of xlf.matchAll(/<unit id="([^"]+)">([\s\S]*?)<\/unit>/g)) {
    where[unit[1]] = [...unit[2].matchAll(/<note category="location">([^<:]+)/g)].map((m) => m[1].replace(/^frontend\//, ''));
  }
  return where;
}

function localeFile(lang) {
  return join(LOCALE_DIR, `${lang}.json`);
}

function translationsOf(lang) {
  const file = localeFile(lang);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).translations ?? {}) : {};
}

function writeTranslations(lang, translations) {
  const sorted = Object.fromEntries(Object.entries(translations).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(localeFile(lang), `${JSON.stringify({ locale: lang, translations: sorted }, null, 2)}\n`);
}

const placeholders = (text) => [...text.matchAll(/\{\$[A-Za-z0-9_]+\}/g)].map((m) => m[0]).sort().join(' ');

function check() {
  const english = englishMessages();
  const ids = Object.keys(english);
  const problems = [];
  for (const lang of LANGUAGES) {
    const t = translationsOf(lang);
    const missing = ids.filter((id) => !t[id]?.trim());
    const stale = Object.keys(t).filter((id) => !(id in english));
    const broken = ids.filter((id) => t[id] && placeholders(t[id]) !== placeholders(english[id]));
    for (const id of missing.slice(0, 20)) problems.push(`${lang}: missing ${id}: ${JSON.stringify(english[id])}`);
    if (missing.length > 20) problems.push(`${lang}: … and ${missing.length - 20} more missing`);
    for (const id of stale) problems.push(`${lang}: ${id} is no longer in the client (remove it): ${JSON.stringify(t[id])}`);
    for (const id of broken)
      problems.push(`${lang}: ${id} changes the placeholders: ${JSON.stringify(english[id])} → ${JSON.stringify(t[id])}`);
    console.log(`i18n: ${lang}: ${ids.length - missing.length} of ${ids.length} messages translated`);
  }
  if (problems.length) {
    console.error(problems.join('\n'));
    console.error('i18n: translations incomplete: `node frontend/scripts/i18n.mjs todo <lang>` lists what to translate');
    process.exit(1);
  }
}

function todo(lang, prefixes) {
  const english = englishMessages();
  const where = prefixes.length ? locations() : {};
  const t = translationsOf(lang);
  const out = {};
  for (const [id, text] of Object.entries(english)) {
    if (t[id]?.trim()) continue;
    if (prefixes.length && !(where[id] ?? []).some((f) => prefixes.some((p) => f.startsWith(p.replace(/^frontend\//, ''))))) continue;
    out[id] = text;
  }
  console.log(JSON.stringify(out, null, 2));
}

function merge(files) {
  const byLang = Object.fromEntries(LANGUAGES.map((l) => [l, translationsOf(l)]));
  for (const file of files) {
    const body = JSON.parse(readFileSync(file, 'utf8'));
    const parts = body.locale && body.translations ? { [body.locale]: body.translations } : body;
    for (const [lang, entries] of Object.entries(parts)) {
      if (!byLang[lang]) throw new Error(`${file}: unknown language ${lang}`);
      Object.assign(byLang[lang], entries);
    }
  }
  for (const lang of LANGUAGES) writeTranslations(lang, byLang[lang]);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'check') check();
else if (command === 'todo' && LANGUAGES.includes(args[0])) todo(args[0], args.slice(1));
else if (command === 'merge' && args.length) merge(args);
else {
  console.error('usage: node scripts/i18n.mjs check | todo <de|es> [path-prefix…] | merge <file…>');
  process.exit(2);
}
