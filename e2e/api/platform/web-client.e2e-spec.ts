import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { startApp, suiteEnv } from '../../support/app';
import { useAppSuite } from '../../support/suite';
import { CLIENT_DIR, builtIndexHtml } from '../../support/web-client';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** A request's answer with the body as sent: supertest (superagent) and fetch decode br and gzip themselves. */
async function raw(url: string, headers: Record<string, string> = {}, method = 'GET') {
  const req = httpRequest(url, { method, headers });
  req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
}

/** The body decoded as its Content-Encoding says. */
function decoded(res: Awaited<ReturnType<typeof raw>>): Buffer {
  const coding = res.headers['content-encoding'];
  return coding === 'br' ? brotliDecompressSync(res.body) : coding === 'gzip' ? gunzipSync(res.body) : res.body;
}

describe('web client: the backend serves the built Angular app', () => {
  // What is rendered, not how fast (server-render.e2e-spec.ts): a first render on a busy machine may take beyond 3 s.
  const suite = useAppSuite({ SERVER_RENDER_TIMEOUT_MS: '25000' });
  let index: string;

  beforeAll(() => {
    index = builtIndexHtml();
  });

  it('serves index.html at / uncached, under a CSP that allows only its own scripts', async () => {
    const res = await request(suite.app.url).get('/').set('Accept', HTML).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toBe(index);
    expect(res.text).toContain('<app-root>');
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${suite.app.port}`);
  });

  it('answers a deep link to a client route with index.html, for the client router to take', async () => {
    for (const path of ['/wallet', '/dashboard', '/login']) {
      const res = await request(suite.app.url).get(path).set('Accept', HTML).expect(200);
      expect([path, res.text]).toEqual([path, index]);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('keeps unknown API routes a JSON 404 in the error shape, even when a browser asks for HTML', async () => {
    const res = await request(suite.app.url).get('/api/unknown').set('Accept', HTML).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ statusCode: 404, error: { code: 'NOT_FOUND', message: 'No such route' }, requestId: expect.any(String) });
  });

  it('leaves the backend its own pages: Swagger UI, the OpenAPI document and the health probe', async () => {
    expect((await request(suite.app.url).get('/docs').set('Accept', HTML).expect(200)).text).toContain('swagger');
    expect((await request(suite.app.url).get('/openapi.json').set('Accept', HTML).expect(200)).body.openapi).toMatch(/^3\./);
    await request(suite.app.url).get('/health').set('Accept', HTML).expect(200, { status: 'ok' });
  });

  it('caches the hashed scripts and stylesheet for a year, and answers a missing asset with a 404', async () => {
    const assets = [...index.matchAll(/(?:src|href)="([^"]+-[A-Z0-9]{8}\.(?:js|css))"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(1);
    for (const asset of assets) {
      const res = await request(suite.app.url).get(`/${asset}`).expect(200);
      expect([asset, res.headers['cache-control']]).toEqual([asset, 'public, max-age=31536000, immutable']);
      expect(res.headers['content-type']).toMatch(asset.endsWith('.js') ? /javascript/ : /text\/css/);
    }
    const missing = await request(suite.app.url).get('/chunk-NOTTHERE.js').expect(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('boots without the client when CLIENT_DIR has no build, says so in the log, and answers / with the JSON 404', async () => {
    const app = await startApp(suiteEnv(suite.db.url, { CLIENT_DIR: mkdtempSync(join(tmpdir(), 'cv-no-client-')) }));
    try {
      const res = await request(app.url).get('/').set('Accept', HTML).expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      expect(app.output()).toContain('Web client not served: no index.html in');
    } finally {
      await app.stop();
    }
  });

  describe('compression: the copies the client build precompressed, chosen by Accept-Encoding', () => {
    let script: string;
    let bytes: Buffer;

    beforeAll(() => {
      // The biggest script index.html loads: over the build's 1 kB floor, so it has its .br and .gz.
      script = [...index.matchAll(/(?:src|href)="([^"]+-[A-Z0-9]{8}\.js)"/g)]
        .map((m) => m[1])
        .sort((a, b) => readFileSync(join(CLIENT_DIR, b)).length - readFileSync(join(CLIENT_DIR, a)).length)[0];
      bytes = readFileSync(join(CLIENT_DIR, script));
      expect(bytes.length).toBeGreaterThan(1024);
      expect([existsSync(join(CLIENT_DIR, `${script}.br`)), existsSync(join(CLIENT_DIR, `${script}.gz`))]).toEqual([true, true]);
    });

    it("sends brotli to a browser that takes br and gzip: the file's bytes, type and cache policy", async () => {
      const res = await raw(`${suite.app.url}/${script}`, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers.vary).toMatch(/\baccept-encoding\b/i);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers.etag).toMatch(/-br"$/);
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(res.body.length).toBeLessThan(bytes.length);
      expect(brotliDecompressSync(res.body).equals(bytes)).toBe(true);
      // The document's security headers, as on every response of the client.
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('sends gzip to one that takes only gzip, and the file as it is without a coding it takes', async () => {
      const gz = await raw(`${suite.app.url}/${script}`, { 'Accept-Encoding': 'gzip' });
      expect([gz.status, gz.headers['content-encoding'], gz.headers.etag]).toEqual([200, 'gzip', expect.stringMatching(/-gz"$/)]);
      expect(gunzipSync(gz.body).equals(bytes)).toBe(true);
      for (const headers of [{} as Record<string, string>, { 'Accept-Encoding': 'identity' }, { 'Accept-Encoding': 'br;q=0, gzip;q=0' }]) {
        const res = await raw(`${suite.app.url}/${script}`, headers);
        expect([headers, res.status, res.headers['content-encoding']]).toEqual([headers, 200, undefined]);
        expect(res.body.equals(bytes)).toBe(true);
        expect(res.headers.vary).toMatch(/\baccept-encoding\b/i);
        expect(res.headers['content-type']).toMatch(/javascript/);
      }
    });

    it('answers If-None-Match with a 304 only for the coding its ETag names, and HEAD with no body', async () => {
      const br = await raw(`${suite.app.url}/${script}`, { 'Accept-Encoding': 'br' });
      const etag = br.headers.etag!;
      const again = await raw(`${suite.app.url}/${script}`, { 'Accept-Encoding': 'br', 'If-None-Match': etag });
      expect([again.status, again.headers.etag, again.body.length]).toEqual([304, etag, 0]);
      const plain = await raw(`${suite.app.url}/${script}`, { 'If-None-Match': etag });
      expect([plain.status, plain.headers['content-encoding']]).toEqual([200, undefined]);
      expect(plain.body.equals(bytes)).toBe(true);
      expect((await raw(`${suite.app.url}/${script}`, { 'If-None-Match': plain.headers.etag! })).status).toBe(304);
      const head = await raw(`${suite.app.url}/${script}`, { 'Accept-Encoding': 'br' }, 'HEAD');
      expect([head.status, head.headers['content-encoding'], head.headers['content-length'], head.body.length]).toEqual([200, 'br', String(br.body.length), 0]);
    });

    it('still answers a deep link with index.html to a browser that takes br', async () => {
      const res = await raw(`${suite.app.url}/wallet/deposit`, { Accept: HTML, 'Accept-Encoding': 'gzip, deflate, br' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(decoded(res).toString('utf8')).toBe(index);
    });

    it('sends the translations (revalidated, not hashed) compressed too', async () => {
      const res = await raw(`${suite.app.url}/i18n/de.json`, { 'Accept-Encoding': 'br' });
      expect([res.status, res.headers['content-encoding'], res.headers['cache-control']]).toEqual([200, 'br', 'no-cache']);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(brotliDecompressSync(res.body).equals(readFileSync(join(CLIENT_DIR, 'i18n', 'de.json')))).toBe(true);
    });
  });

  describe('server rendering: the markets and coin pages arrive with their prices', () => {
    const page = (path: string, headers: Record<string, string> = {}) => raw(`${suite.app.url}${path}`, { Accept: HTML, ...headers });
    const isRendered = (html: string) => html.includes('ng-server-context="ssr"');

    it('renders /markets with every listed asset, its price as the page shows it, and the data the app takes over', async () => {
      const list = (await request(suite.app.url).get('/api/crypto').expect(200)).body as { cryptocurrencies: { name: string; symbol: string }[] };
      expect(list.cryptocurrencies.length).toBeGreaterThan(0);
      const res = await page('/markets', { 'Accept-Encoding': 'br' });
      expect([res.status, res.headers['content-encoding'], res.headers['cache-control']]).toEqual([200, 'br', 'no-cache']);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers.vary).toEqual(expect.stringContaining('Accept-Language'));
      const html = decoded(res).toString('utf8');
      expect(isRendered(html)).toBe(true);
      expect(html).toMatch(/<title[^>]*>Markets · CryptoVault<\/title>/);
      for (const asset of list.cryptocurrencies) {
        expect([asset.symbol, html.includes(`>${asset.name}</strong>`)]).toEqual([asset.symbol, true]);
      }
      // The API answers the render used travel in the page, so the app in the browser does not ask again.
      const state = /<script id="ng-state" type="application\/json">([\s\S]*?)<\/script>/.exec(html)?.[1];
      expect(state).toBeDefined();
      expect(state).toContain('"cryptocurrencies"');
      // Kept under the URL the browser asks for: the backend's own loopback address is nowhere in the page.
      expect(html).not.toContain('127.0.0.1');
      // The CSP allows no inline script: every script element is one of the build's files, or data (JSON).
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect([tag, /\bsrc="[^"]+"|type="application\/json"/.test(tag)]).toEqual([tag, true]);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    });

    it('renders a coin page by its id, with the name, and sends gzip or the page as it is as asked', async () => {
      const gz = await page('/coin/bitcoin', { 'Accept-Encoding': 'gzip' });
      expect([gz.status, gz.headers['content-encoding']]).toEqual([200, 'gzip']);
      const html = decoded(gz).toString('utf8');
      expect(isRendered(html)).toBe(true);
      expect(html).toContain('Bitcoin');
      const plain = await page('/coin/bitcoin');
      expect([plain.status, plain.headers['content-encoding'], isRendered(plain.body.toString('utf8'))]).toEqual([200, undefined, true]);
    });

    it('gives the app page (index.html) to a visitor whose app starts in another language, an unknown coin, and a query', async () => {
      const cases: [string, Record<string, string>, boolean][] = [
        ['/markets', { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.8' }, false],
        ['/markets', { 'Accept-Language': 'es' }, false],
        ['/markets', { 'Accept-Language': 'fr-FR,en;q=0.5' }, true],
        // The language chosen in the app (its cookie) wins over the browser's.
        ['/markets', { 'Accept-Language': 'de', Cookie: 'cv-lang=en' }, true],
        ['/markets', { Cookie: 'cv-lang=es' }, false],
        ['/coin/no-such-coin', {}, false],
        // Another spelling of a known coin is the client's page too: one rendered page per coin, under its own id.
        ['/coin/BITCOIN', {}, false],
        ['/coin/btc', {}, false],
        ['/markets?sort=price', {}, false],
      ];
      for (const [path, headers, rendered] of cases) {
        const res = await page(path, headers);
        const html = res.body.toString('utf8');
        expect([path, headers, res.status, isRendered(html)]).toEqual([path, headers, 200, rendered]);
        if (!rendered) expect(html).toBe(index);
      }
    });
  });
});
