import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'express';
import { serverRenderer } from './server-render';

/**
 * The renderer's bounds, with a stand-in for the client's server bundle (a CommonJS file exporting `render`, as
 * server.ts does): what a page costs the backend stays bounded whatever the requests, and a visitor never waits long.
 */
interface Call {
  path: string;
  context: { apiOrigin: string; headers: Record<string, string>; failures?: number };
  finish(html?: string, failures?: number): void;
}

const calls: Call[] = [];
(globalThis as { __renderCalls?: Call[] }).__renderCalls = calls;

function bundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cv-render-'));
  const entry = join(dir, 'server.cjs');
  writeFileSync(
    entry,
    `exports.render = (path, context) => new Promise((resolve) => {
      globalThis.__renderCalls.push({ path, context, finish: (html = '<p>' + path + '</p>', failures = 0) => {
        if (failures) context.failures = failures;
        resolve({ status: 200, text: async () => html });
      } });
    });`,
  );
  return entry;
}

const req = (path: string): Request =>
  ({ path: path.split('?')[0], originalUrl: path, socket: { localPort: 3000, remoteAddress: '203.0.113.9' } }) as unknown as Request;
const settle = () => new Promise((r) => setImmediate(r));
const COINS: Record<string, string> = { bitcoin: 'bitcoin', BITCOIN: 'bitcoin', btc: 'bitcoin' };

describe('serverRenderer', () => {
  beforeEach(() => calls.splice(0));

  it('renders a page once for everyone within its cache time, from the loopback origin', async () => {
    const r = serverRenderer({ clientDir: '/none', serverEntry: bundle(), coinId: (id) => COINS[id], cacheMs: 60_000 })!;
    const first = r.page(req('/markets'));
    await settle();
    expect(calls.map((c) => [c.path, c.context.apiOrigin])).toEqual([['/markets', 'http://127.0.0.1:3000']]);
    calls[0].finish();
    expect((await first)?.html.toString()).toBe('<p>/markets</p>');
    expect((await r.page(req('/markets/')))?.html.toString()).toBe('<p>/markets</p>');
    expect(calls).toHaveLength(1);
  });

  it('renders a coin only under its own id, and nothing with a query string', async () => {
    const r = serverRenderer({ clientDir: '/none', serverEntry: bundle(), coinId: (id) => COINS[id] })!;
    for (const path of ['/coin/BITCOIN', '/coin/btc', '/coin/nope', '/markets?sort=price', '/wallet']) expect(await r.page(req(path))).toBeUndefined();
    expect(calls).toHaveLength(0);
    const page = r.page(req('/coin/bitcoin'));
    await settle();
    calls[0].finish();
    expect((await page)?.html.toString()).toBe('<p>/coin/bitcoin</p>');
  });

  it('never lets a request wait past the timeout, its own render or one it joins', async () => {
    const r = serverRenderer({ clientDir: '/none', serverEntry: bundle(), coinId: (id) => COINS[id], timeoutMs: 50 })!;
    const own = r.page(req('/markets'));
    await settle();
    const joined = r.page(req('/markets'));
    expect([await own, await joined]).toEqual([undefined, undefined]);
    expect(calls).toHaveLength(1);
    // Finished late, the page is kept for the next visitor.
    calls[0].finish();
    await settle();
    expect((await r.page(req('/markets')))?.html.toString()).toBe('<p>/markets</p>');
  });

  it('runs at most maxConcurrent renders: beyond, the client page at once', async () => {
    const r = serverRenderer({ clientDir: '/none', serverEntry: bundle(), coinId: (id) => id, maxConcurrent: 2, maxPerSecond: 100 })!;
    const pages = ['/coin/a', '/coin/b', '/coin/c'].map((p) => r.page(req(p)));
    await settle();
    expect(calls.map((c) => c.path)).toEqual(['/coin/a', '/coin/b']);
    expect(await pages[2]).toBeUndefined();
    calls.forEach((c) => c.finish());
    await Promise.all(pages);
  });

  it('starts at most maxPerSecond renders (the requests below arrive within the same second)', async () => {
    const r = serverRenderer({ clientDir: '/none', serverEntry: bundle(), coinId: (id) => id, maxConcurrent: 100, maxPerSecond: 3 })!;
    const pages = ['/coin/a', '/coin/b', '/coin/c', '/coin/d'].map((p) => r.page(req(p)));
    await settle();
    expect(calls.length).toBeLessThanOrEqual(3);
    expect(await pages[3]).toBeUndefined();
    calls.forEach((c) => c.finish());
    await Promise.all(pages);
  });

  it('does not keep a page whose API calls failed, nor try it again within the cache time', async () => {
    const r = serverRenderer({ clientDir: '/none', serverEntry: bundle(), coinId: (id) => COINS[id], cacheMs: 60_000 })!;
    const failed = r.page(req('/markets'));
    await settle();
    calls[0].finish('<p>could not load</p>', 1);
    expect(await failed).toBeUndefined();
    expect(await r.page(req('/markets'))).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('stops rendering when the client was rebuilt since its bundle was loaded', async () => {
    const entry = bundle();
    const r = serverRenderer({ clientDir: '/none', serverEntry: entry, coinId: (id) => COINS[id], cacheMs: 0 })!;
    const page = r.page(req('/markets'));
    await settle();
    calls[0].finish();
    expect(await page).toBeDefined();
    utimesSync(entry, new Date(), new Date(Date.now() + 5_000));
    await new Promise((res) => setTimeout(res, 1_100));
    expect(await r.page(req('/markets'))).toBeUndefined();
    expect(calls).toHaveLength(1);
  });
});
