// Lighthouse on the public pages (issue 22, goal 8): the markets page and a coin page, opened by a signed-out visitor,
// on the embedded default (PGlite, a new DATA_DIR) serving the built client (frontend/dist). Lighthouse 12.2.3 (its
// own package, bench/lighthouse/: not installed by the root `npm ci`) drives Debian's Chromium, performance category
// only, its default mobile settings (simulated throttling: 150 ms RTT, 1.6 Mbit/s down, 4× CPU slowdown; a Moto G
// Power's screen). Each run is a new Chromium; the pages' runs alternate (markets, coin, bare page, markets, ...).
//
//   npm run build && node bench/lighthouse.mjs [--runs 3] [--save-dir DIR]
//   env BENCH_JSON: also write the figures to that file (read by bench/run-all.mjs)
//   env CHROME_PATH: the browser (default /usr/bin/chromium)
//   env LIGHTHOUSE_DIR: another Lighthouse install to compare with (default bench/lighthouse, the pinned 12.2.3)
//
// Per page, the medians of: the performance score, LCP, FCP, TBT, CLS, and the scripts transferred up to the load
// event (Lighthouse's network-requests audit: script requests sent before `load`, their transfer sizes as sent: the
// server's own compression, if any). For the page missing a goal, the median run's opportunities and diagnostics
// (and the LCP element with its phases) are printed. Baseline: a bare static page (an h1 and a paragraph, no CSS, no
// script) served by a second instance of the same backend (CLIENT_DIR pointed at it), measured the same way: the
// floor the throttling puts under any page. "Initial JS gzipped" is also computed from frontend/dist alone: the
// scripts index.html loads (its module scripts and modulepreloads), and the eager graph as
// frontend/scripts/check-bundle-size.mjs counts it (those, everything they import statically, and what the entry
// script imports dynamically before the app starts), each file gzipped at level 9.
// --save-dir: keeps every run's Lighthouse report (JSON) there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startBackend, stopBackend } from './support/start-backend.mjs';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(opt('--runs') || 3) || 3;
const saveDir = opt('--save-dir');
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'backend', 'dist', 'main.js');
const clientDir = join(root, 'frontend', 'dist', 'frontend', 'browser');
// LIGHTHOUSE_DIR: another install to compare with (a package.json with lighthouse and chrome-launcher); default the pinned one.
const lighthouseDir = process.env.LIGHTHOUSE_DIR || join(root, 'bench', 'lighthouse');
const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const GOALS = { score: 95, lcpMs: 1500, initialJsBytes: 150 * 1000 };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs a command with its output on stderr (stdout is this script's summary); exits when it fails. */
function step(what, command, argv) {
  process.stderr.write(`lighthouse bench: ${what}\n`);
  const res = spawnSync(command, argv, { cwd: root, stdio: ['ignore', 2, 2] });
  if (res.status !== 0) throw new Error(`${command} ${argv.join(' ')} exited with ${res.status}`);
}

if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
if (!existsSync(join(clientDir, 'index.html')))
  step('building the client (frontend/dist is missing)', process.execPath, ['frontend/scripts/client.mjs', 'build']);
if (!existsSync(join(lighthouseDir, 'node_modules', 'lighthouse', 'package.json'))) {
  step('installing Lighthouse (npm ci in bench/lighthouse)', npm, ['ci', '--prefix', lighthouseDir, '--no-audit', '--no-fund']);
}
if (!existsSync(chromePath)) throw new Error(`no browser at ${chromePath} (set CHROME_PATH; Debian: apt-get install chromium)`);
const fromBench = createRequire(join(lighthouseDir, 'package.json'));
const { default: lighthouse } = await import(pathToFileURL(fromBench.resolve('lighthouse')).href);
const chromeLauncher = await import(pathToFileURL(fromBench.resolve('chrome-launcher')).href);
const lighthouseVersion = JSON.parse(readFileSync(join(dirname(fromBench.resolve('lighthouse')), '..', 'package.json'), 'utf8')).version;

// ---- initial JS from frontend/dist (no browser) ----

/** The scripts index.html loads eagerly, and the eager graph as frontend/scripts/check-bundle-size.mjs follows it. */
function initialJsFromDist(dir) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const fromHtml = new Set();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const isScript = tag.startsWith('<script') && /\bsrc="([^"]+)"/.test(tag);
    const isPreload = tag.startsWith('<link') && /\brel="modulepreload"/.test(tag);
    if (!isScript && !isPreload) continue;
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if (url && !/^[a-z]+:|^\/\//i.test(url)) fromHtml.add(url.replace(/^\//, ''));
  }
  const STATIC_IMPORT = /(?:^|[;\s}])(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["']\.\/([^"']+\.m?js)["']/g;
  const DYNAMIC_IMPORT = /\bimport\(\s*["']\.\/([^"']+\.m?js)["']\s*\)/g;
  const graph = new Set(fromHtml);
  for (const entry of [...fromHtml].filter((f) => /^main-[\w-]*\.m?js$/.test(f))) {
    for (const m of readFileSync(join(dir, entry), 'utf8').matchAll(DYNAMIC_IMPORT)) graph.add(m[1]);
  }
  for (const file of graph) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(STATIC_IMPORT)) graph.add(m[1]);
  }
  const size = (files) => {
    let raw = 0;
    let gzip = 0;
    for (const f of files) {
      const bytes = readFileSync(join(dir, f));
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    return { files: files.size, rawBytes: raw, gzipBytes: gzip };
  };
  return { indexHtml: size(fromHtml), eagerGraph: size(graph) };
}

// ---- one Lighthouse run ----

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/**
 * Lighthouse on `url` in a new Chromium; the figures of its report (and the report itself). A run whose trace
 * Lighthouse could not record (its runtime error NO_NAVSTART, "please run Lighthouse again": no figures at all, seen in
 * 2 of 5 runs on 2026-12-06) is run again, at most twice, and said so; any other error ends the bench.
 */
async function lighthouseRun(url, attempt = 1) {
  try {
    return await lighthouseRunOnce(url);
  } catch (err) {
    if (attempt > 2 || !/NO_NAVSTART/.test(String(err?.message))) throw err;
    process.stderr.write(`  ${url}: ${err.message}; running it again\n`);
    return lighthouseRun(url, attempt + 1);
  }
}

async function lighthouseRunOnce(url) {
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROME_FLAGS, logLevel: 'silent' });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
    const lhr = result?.lhr;
    if (!lhr) throw new Error(`Lighthouse returned no report for ${url}`);
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const a = lhr.audits;
    // The load event (observed, unthrottled) on the network-requests audit's clock (both in µs of the trace).
    const observed = a.metrics?.details?.items?.[0] ?? {};
    const networkStartTs = a['network-requests']?.details?.debugData?.networkStartTimeTs;
    const loadMs = Number.isFinite(observed.observedLoadTs) && Number.isFinite(networkStartTs) ? (observed.observedLoadTs - networkStartTs) / 1000 : NaN;
    const requests = a['network-requests']?.details?.items ?? [];
    const scripts = requests.filter((r) => r.resourceType === 'Script');
    const beforeLoad = scripts.filter((r) => Number.isFinite(r.networkRequestTime) && r.networkRequestTime <= loadMs);
    const sum = (xs, k) => xs.reduce((n, r) => n + (r[k] ?? 0), 0);
    return {
      lhr,
      score: Math.round((lhr.categories.performance.score ?? NaN) * 100),
      lcpMs: a['largest-contentful-paint'].numericValue,
      fcpMs: a['first-contentful-paint'].numericValue,
      tbtMs: a['total-blocking-time'].numericValue,
      cls: a['cumulative-layout-shift'].numericValue,
      speedIndexMs: a['speed-index'].numericValue,
      // Lighthouse's CPU benchmark of this run (higher is faster; a loaded machine scores lower and its TBT reads higher).
      benchmarkIndex: lhr.environment?.benchmarkIndex,
      observedLoadMs: loadMs,
      initialJs: { requests: beforeLoad.length, transferBytes: sum(beforeLoad, 'transferSize'), resourceBytes: sum(beforeLoad, 'resourceSize') },
      allJs: { requests: scripts.length, transferBytes: sum(scripts, 'transferSize'), resourceBytes: sum(scripts, 'resourceSize') },
    };
  } finally {
    await chrome.kill();
  }
}

/** What the report says costs: the performance audits that did not pass, and the LCP element with its phases. */
function diagnostics(lhr) {
  const refs = lhr.categories.performance.auditRefs.filter((r) => r.group !== 'metrics');
  const costs = [];
  for (const ref of refs) {
    const audit = lhr.audits[ref.id];
    if (!audit || audit.score === null || audit.score >= 0.9 || audit.scoreDisplayMode === 'notApplicable' || audit.scoreDisplayMode === 'informative')
      continue;
    const savings = Object.entries(audit.metricSavings ?? {})
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} −${Math.round(v)}${k === 'CLS' ? '' : ' ms'}`);
    costs.push({ id: audit.id, title: audit.title, displayValue: audit.displayValue ?? '', savings: savings.join(', ') });
  }
  const lcpItems = lhr.audits['largest-contentful-paint-element']?.details?.items ?? [];
  const node = lcpItems[0]?.items?.[0]?.node;
  const phases = (lcpItems[1]?.items ?? []).map((p) => `${p.phase} ${Math.round(p.timing)} ms`);
  // Audits Lighthouse could not compute (with 12.2.3 on a newer Chromium: its trace engine's RootCauses / TraceElements).
  const failed = [
    ...new Set(
      Object.values(lhr.audits)
        .filter((x) => x.scoreDisplayMode === 'error')
        .map((x) => `${x.id}: ${x.errorMessage?.slice(0, 160)}`),
    ),
  ];
  return { costs, lcpElement: node ? { selector: node.selector, snippet: node.snippet } : undefined, lcpPhases: phases, failedAudits: failed };
}

// ---- the servers ----

const dataDirs = [];
const children = [];
/** The backend (embedded default) on a new DATA_DIR; `extraEnv` e.g. CLIENT_DIR. */
async function server(extraEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cv-lighthouse-'));
  dataDirs.push(dataDir);
  const { child, port } = await startBackend(main, { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extraEnv });
  children.push(child);
  return `http://127.0.0.1:${port}`;
}

const bareDir = mkdtempSync(join(tmpdir(), 'cv-lighthouse-bare-'));
writeFileSync(
  join(bareDir, 'index.html'),
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Bare page</title>' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>\n' +
    '<body><h1>Markets</h1><p>A bare static page: no stylesheet, no script. The baseline of the Lighthouse bench.</p></body></html>\n',
);

try {
  const dist = initialJsFromDist(clientDir);
  const app = await server();
  // A coin the embedded default lists (the markets page links /coin/<id>); bitcoin when it is there.
  const list = await (await fetch(`${app}/api/crypto`)).json();
  const coins = Array.isArray(list) ? list : (list.cryptocurrencies ?? []);
  const coinId = (coins.find((c) => c.id === 'bitcoin') ?? coins[0])?.id;
  if (!coinId) throw new Error(`GET /api/crypto listed no asset: ${JSON.stringify(list).slice(0, 200)}`);
  // Whether the server compresses what it sends (Lighthouse's transfer sizes are what it sent).
  const entry = /<script src="(main-[^"]+)"/.exec(readFileSync(join(clientDir, 'index.html'), 'utf8'))?.[1] ?? 'index.html';
  const probe = await fetch(`${app}/${entry}`, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
  const contentEncoding = probe.headers.get('content-encoding') ?? 'none';
  await probe.arrayBuffer();
  const bare = await server({ CLIENT_DIR: bareDir });
  const pages = [
    { id: 'markets', path: '/markets', url: `${app}/markets` },
    { id: 'coin', path: `/coin/${coinId}`, url: `${app}/coin/${coinId}` },
    { id: 'bare', path: '/ (bare static page, CLIENT_DIR)', url: `${bare}/` },
  ];
  // Not measured: a first navigation after the server started (Chromium and the server's first answers warm up).
  await lighthouseRun(pages[0].url).catch(() => undefined);
  const results = Object.fromEntries(pages.map((p) => [p.id, []]));
  if (saveDir) mkdirSync(saveDir, { recursive: true });
  for (let i = 0; i < runs; i++) {
    for (const p of pages) {
      const r = await lighthouseRun(p.url);
      process.stderr.write(
        `  run ${i + 1}/${runs} ${p.id}: score ${r.score}, LCP ${(r.lcpMs / 1000).toFixed(2)} s, FCP ${(r.fcpMs / 1000).toFixed(2)} s, TBT ${Math.round(r.tbtMs)} ms\n`,
      );
      if (saveDir) writeFileSync(join(saveDir, `${p.id}-${i + 1}.json`), JSON.stringify(r.lhr));
      results[p.id].push(r);
    }
  }

  const summary = {};
  for (const p of pages) {
    const rs = results[p.id];
    const m = (k) => median(rs.map((r) => r[k]));
    // The run whose score is the median's: the one whose audits are printed.
    const medianRun = [...rs].sort((a, b) => a.score - b.score || a.lcpMs - b.lcpMs)[Math.floor(rs.length / 2)];
    summary[p.id] = {
      path: p.path,
      score: m('score'),
      lcpMs: m('lcpMs'),
      fcpMs: m('fcpMs'),
      tbtMs: m('tbtMs'),
      cls: m('cls'),
      speedIndexMs: m('speedIndexMs'),
      observedLoadMs: m('observedLoadMs'),
      benchmarkIndex: m('benchmarkIndex'),
      initialJsTransferBytes: median(rs.map((r) => r.initialJs.transferBytes)),
      initialJsRequests: median(rs.map((r) => r.initialJs.requests)),
      allJsTransferBytes: median(rs.map((r) => r.allJs.transferBytes)),
      allJsResourceBytes: median(rs.map((r) => r.allJs.resourceBytes)),
      runs: rs.map((r) => ({ score: r.score, lcpMs: r.lcpMs, fcpMs: r.fcpMs, tbtMs: r.tbtMs, cls: r.cls })),
      ...diagnostics(medianRun.lhr),
    };
  }

  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const kB = (b) => `${(b / 1000).toFixed(1)} kB`;
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, node ${process.version}; Lighthouse ${lighthouseVersion}, ${chromePath}, mobile (simulated throttling), median of ${runs}`,
  );
  console.log('| page | score | LCP | FCP | TBT | CLS | Speed Index | scripts up to `load` (transferred) | all scripts (transferred) | CPU benchmark index |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const p of pages) {
    const r = summary[p.id];
    console.log(
      `| ${p.id} \`${r.path}\` | ${r.score} (runs ${r.runs.map((x) => x.score).join(' / ')}) | ${s(r.lcpMs)} (runs ${r.runs.map((x) => (x.lcpMs / 1000).toFixed(2)).join(' / ')}) | ${s(r.fcpMs)} | ${Math.round(r.tbtMs)} ms | ${r.cls.toFixed(3)} | ${s(r.speedIndexMs)} | ${kB(r.initialJsTransferBytes)} in ${r.initialJsRequests} | ${kB(r.allJsTransferBytes)} (${kB(r.allJsResourceBytes)} uncompressed) | ${Math.round(r.benchmarkIndex)} |`,
    );
  }
  console.log(
    `the server's Content-Encoding for /${entry} (asked for gzip, deflate, br): ${contentEncoding}\n` +
      `initial JS from frontend/dist, gzip -9: index.html's scripts and modulepreloads ${kB(dist.indexHtml.gzipBytes)} (${dist.indexHtml.files} files, ${kB(dist.indexHtml.rawBytes)} raw); ` +
      `the eager graph (check-bundle-size.mjs) ${kB(dist.eagerGraph.gzipBytes)} (${dist.eagerGraph.files} files, ${kB(dist.eagerGraph.rawBytes)} raw); goal ≤ ${kB(GOALS.initialJsBytes)}`,
  );
  for (const p of pages.filter((x) => x.id !== 'bare')) {
    const r = summary[p.id];
    const ok = r.score >= GOALS.score && r.lcpMs < GOALS.lcpMs;
    console.log(`${p.id}: score ${r.score} (goal ≥ ${GOALS.score}), LCP ${s(r.lcpMs)} (goal < ${s(GOALS.lcpMs)}): ${ok ? 'met' : 'NOT met'}`);
    if (ok) continue;
    if (r.lcpElement) console.log(`  LCP element: ${r.lcpElement.selector} ${r.lcpElement.snippet}; ${r.lcpPhases.join(', ')}`);
    for (const c of r.costs) console.log(`  - ${c.title}${c.displayValue ? `: ${c.displayValue}` : ''}${c.savings ? ` (${c.savings})` : ''}`);
    if (r.failedAudits.length) {
      const [first] = r.failedAudits;
      console.log(`  not computed by Lighthouse: ${r.failedAudits.map((f) => f.split(':')[0]).join(', ')} (${first.slice(first.indexOf(':') + 2)})`);
    }
  }
  if (process.env.BENCH_JSON) {
    writeFileSync(
      process.env.BENCH_JSON,
      `${JSON.stringify({ bench: 'lighthouse', runs, lighthouse: lighthouseVersion, chromePath, goals: GOALS, contentEncoding, pages: summary, dist }, null, 2)}\n`,
    );
  }
} finally {
  for (const child of children) if (child.exitCode === null) await stopBackend(child);
  for (const dir of [...dataDirs, bareDir]) rmSync(dir, { recursive: true, force: true });
}
