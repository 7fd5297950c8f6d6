import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApp, suiteEnv } from '../../support/app';
import { useAppSuite } from '../../support/suite';
import { builtIndexHtml } from '../../support/web-client';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('web client: the backend serves the built Angular app', () => {
  const suite = useAppSuite();
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
    for (const path of ['/markets', '/coin/bitcoin', '/wallet']) {
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
});
