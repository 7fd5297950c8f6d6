#!/usr/bin/env node
// Every relative link of the repository's Markdown (README, docs/, bench/, …) resolves to a file or directory inside
// this repository: a clone has everything its documents point at. Web links (http:, https:, mailto:) and same-page
// anchors are not followed. Exits 1 and lists every broken link.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files = execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.includes('node_modules/'));

// [text](target "title") and <img src="…">, outside fenced code blocks.
const LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<img[^>]+src="([^"]+)"/g;
const broken = [];
for (const file of files) {
  let fenced = false;
  readFileSync(join(root, file), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced) return;
      for (const m of line.replace(/`[^`]*`/g, '').matchAll(LINK)) {
        const target = m[1] ?? m[2];
        if (/^([a-z][a-z0-9+.-]*:|#)/i.test(target)) continue;
        const path = decodeURIComponent(target.split('#')[0].split('?')[0]);
        const absolute = resolve(root, dirname(file), path);
        const inside = absolute === root || absolute.startsWith(root + sep);
        if (!inside || !existsSync(absolute)) broken.push(`${file}:${i + 1}: ${target}${inside ? '' : ' (outside the repository)'}`);
      }
    });
}
if (broken.length) {
  console.error(`Markdown links that do not resolve inside the repository:\n${broken.map((b) => `  ${b}`).join('\n')}`);
  process.exit(1);
}
console.log(`doc links: ${files.length} Markdown files, every relative link resolves inside ${relative(process.cwd(), root) || '.'}`);
