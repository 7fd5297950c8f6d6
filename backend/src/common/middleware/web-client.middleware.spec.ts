import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { IMMUTABLE, REVALIDATE, webClient } from './web-client.middleware';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('webClient', () => {
  let dir: string;
  let app: express.Express;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cv-client-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>client</title>');
    writeFileSync(join(dir, 'main-DT5VSZ64.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.ico'), 'icon');
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'api', 'leak.json'), '{}');
    app = express();
    app.use(webClient(dir)!);
    app.get('/api/things', (_req, res) => {
      res.json({ api: true });
    });
    app.use((_req: express.Request, res: express.Response) => {
      res.status(404).json({ notFound: true });
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is not installed when the directory has no index.html', () => {
    expect(webClient(join(dir, 'nothing-here'))).toBeUndefined();
  });

  it('serves index.html at / with no-cache', async () => {
    const res = await request(app).get('/').expect(200);
    expect(res.text).toContain('<title>client</title>');
    expect(res.headers['cache-control']).toBe(REVALIDATE);
  });

  it('caches hashed assets for a year and revalidates unhashed files', async () => {
    expect((await request(app).get('/main-DT5VSZ64.js').expect(200)).headers['cache-control']).toBe(IMMUTABLE);
    expect((await request(app).get('/favicon.ico').expect(200)).headers['cache-control']).toBe(REVALIDATE);
  });

  it('answers an HTML navigation to a client route with index.html', async () => {
    const res = await request(app).get('/coin/bitcoin').set('Accept', HTML).expect(200);
    expect(res.text).toContain('<title>client</title>');
    expect(res.headers['cache-control']).toBe(REVALIDATE);
  });

  it('leaves non-HTML requests, other methods and missing assets to the backend', async () => {
    await request(app).get('/coin/bitcoin').set('Accept', 'application/json').expect(404, { notFound: true });
    await request(app).post('/markets').set('Accept', HTML).expect(404, { notFound: true });
    await request(app).get('/chunk-MISSING1.js').expect(404, { notFound: true });
  });

  it.each(['/api/nope', '/api', '/docs', '/health', '/metrics', '/ws/prices', '/openapi.json', '/csrf'])(
    'never answers the backend path %s with the client',
    async (path) => {
      await request(app).get(path).set('Accept', HTML).expect(404, { notFound: true });
    },
  );

  it('never serves a client file under a backend path', async () => {
    await request(app).get('/api/leak.json').expect(404, { notFound: true });
    await request(app).get('/api/things').expect(200, { api: true });
  });
});
