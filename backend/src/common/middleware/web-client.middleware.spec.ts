import express from 'express';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { IMMUTABLE, REVALIDATE, chooseEncoding, webClient } from './web-client.middleware';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('webClient', () => {
  let dir: string;
  let app: express.Express;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cv-client-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>client</title>');
    writeFileSync(join(dir, 'main-DT5VSZ64.js'), 'console.log(1)');
    writeFileSync(join(dir, 'favicon.ico'), 'icon');
    const script = Buffer.from('export const x = "compressed";\n'.repeat(100));
    writeFileSync(join(dir, 'chunk-ABCDEFGH.js'), script);
    writeFileSync(join(dir, 'chunk-ABCDEFGH.js.br'), brotliCompressSync(script));
    writeFileSync(join(dir, 'chunk-ABCDEFGH.js.gz'), gzipSync(script));
    // A copy older than its file: left by an earlier build, never sent.
    writeFileSync(join(dir, 'stale.css'), 'a{}'.repeat(500));
    writeFileSync(join(dir, 'stale.css.br'), brotliCompressSync('b{}'.repeat(500)));
    utimesSync(join(dir, 'stale.css.br'), new Date(2020, 0, 1), new Date(2020, 0, 1));
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

  describe('precompressed copies', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = app.listen(0, '127.0.0.1');
      await once(server, 'listening');
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => server.close());

    /** The bytes as sent: supertest and fetch would decode br and gzip themselves. */
    const get = async (path: string, headers: Record<string, string> = {}, method = 'GET') => {
      const req = httpRequest(`${base}${path}`, { method, headers });
      req.end();
      const [res] = (await once(req, 'response')) as [IncomingMessage];
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
    };
    const script = Buffer.from('export const x = "compressed";\n'.repeat(100));

    it("sends the brotli copy to a request that takes br, with the file's type and cache policy", async () => {
      const res = await get('/chunk-ABCDEFGH.js', { 'Accept-Encoding': 'gzip, deflate, br' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.headers['cache-control']).toBe(IMMUTABLE);
      expect(res.headers.etag).toMatch(/-br"$/);
      expect(res.headers['accept-ranges']).toBeUndefined();
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(brotliDecompressSync(res.body).equals(script)).toBe(true);
    });

    it('sends gzip when br is not taken, and the file as it is when no coding is', async () => {
      const gz = await get('/chunk-ABCDEFGH.js', { 'Accept-Encoding': 'gzip' });
      expect([gz.status, gz.headers['content-encoding'], gz.headers.etag]).toEqual([200, 'gzip', expect.stringMatching(/-gz"$/)]);
      expect(gunzipSync(gz.body).equals(script)).toBe(true);
      for (const encoding of [undefined, 'identity', 'br;q=0, gzip;q=0', 'deflate', '*;q=0']) {
        const res = await get('/chunk-ABCDEFGH.js', encoding === undefined ? {} : { 'Accept-Encoding': encoding });
        expect([encoding, res.status, res.headers['content-encoding'], res.body.equals(script)]).toEqual([encoding, 200, undefined, true]);
        expect(res.headers.vary).toMatch(/accept-encoding/i);
        expect(res.headers.etag).not.toMatch(/-(br|gz)"$/);
      }
    });

    it('answers If-None-Match per coding', async () => {
      const { etag } = (await get('/chunk-ABCDEFGH.js', { 'Accept-Encoding': 'br' })).headers as { etag: string };
      expect((await get('/chunk-ABCDEFGH.js', { 'Accept-Encoding': 'br', 'If-None-Match': etag })).status).toBe(304);
      const gz = await get('/chunk-ABCDEFGH.js', { 'Accept-Encoding': 'gzip', 'If-None-Match': etag });
      expect([gz.status, gz.headers['content-encoding']]).toEqual([200, 'gzip']);
      const plain = await get('/chunk-ABCDEFGH.js', { 'If-None-Match': etag });
      expect([plain.status, plain.headers['content-encoding']]).toEqual([200, undefined]);
      expect((await get('/chunk-ABCDEFGH.js', { 'If-None-Match': plain.headers.etag! })).status).toBe(304);
    });

    it('answers HEAD like GET, without a body', async () => {
      const res = await get('/chunk-ABCDEFGH.js', { 'Accept-Encoding': 'br' }, 'HEAD');
      expect([res.status, res.headers['content-encoding'], res.body.length]).toEqual([200, 'br', 0]);
      expect(Number(res.headers['content-length'])).toBe(brotliCompressSync(script).length);
    });

    it('answers a Range request with a range of the file as it is', async () => {
      const res = await get('/chunk-ABCDEFGH.js', { 'Accept-Encoding': 'br', Range: 'bytes=0-5' });
      expect([res.status, res.headers['content-encoding'], res.body.toString()]).toEqual([206, undefined, 'export']);
    });

    it('never sends a copy older than its file, nor a Vary for a file without copies', async () => {
      const stale = await get('/stale.css', { 'Accept-Encoding': 'br' });
      expect([stale.status, stale.headers['content-encoding'], stale.body.toString()]).toEqual([200, undefined, 'a{}'.repeat(500)]);
      const plain = await get('/main-DT5VSZ64.js', { 'Accept-Encoding': 'br' });
      expect([plain.status, plain.headers['content-encoding'], plain.headers.vary]).toEqual([200, undefined, undefined]);
    });
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['br, gzip', 'br'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0.1', 'gzip'],
    ['*', 'br'],
    ['*;q=0.2, br;q=0', 'gzip'],
    ['identity', undefined],
    ['br;q=0.5, identity', undefined],
    ['deflate', undefined],
    ['BR', 'br'],
  ])('chooses the coding for Accept-Encoding %p: %p', (header, expected) => {
    expect(chooseEncoding(header, ['br', 'gzip'])).toBe(expected);
  });
});
