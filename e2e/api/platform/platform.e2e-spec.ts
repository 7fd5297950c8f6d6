import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { waitFor } from '../../support/wait';

describe('platform: health, docs and the error shape', () => {
  let db: TestDatabase;
  let app: RunningApp;
  /** This suite's own code cache (CODE_CACHE_DIR), so the test of it touches no other suite's starts. */
  const codeCacheDir = mkdtempSync(join(tmpdir(), 'cv-code-cache-'));
  const cacheFiles = () => readdirSync(codeCacheDir).filter((f) => f.endsWith('.v8-cache'));

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(suiteEnv(db.url, { CODE_CACHE_DIR: codeCacheDir }));
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it('answers liveness and readiness with the state of PostgreSQL and Redis', async () => {
    await request(app.url).get('/health').expect(200, { status: 'ok' });
    const res = await request(app.url).get('/api/health').expect(200);
    expect(res.body.components.database).toMatchObject({ status: 'up', kind: 'postgres' });
    expect(res.body.components.redis).toMatchObject({ status: 'up', kind: 'redis' });
    expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('describes itself at /api and serves Swagger UI and the OpenAPI document', async () => {
    const info = await request(app.url).get('/api').expect(200);
    expect(info.body).toEqual({ name: 'CryptoVault', version: expect.any(String), environment: 'test', docs: '/docs' });
    const ui = await request(app.url).get('/docs').expect(200);
    expect(ui.text).toContain('swagger');
    const spec = await request(app.url).get('/openapi.json').expect(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(spec.body.paths['/api/health'].get.operationId).toBe('readiness');
  });

  it('serves the WebSocket API as the committed AsyncAPI document at /asyncapi.json and as a page at /docs/asyncapi', async () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'asyncapi.json'), 'utf8'));
    const doc = await request(app.url)
      .get('/asyncapi.json')
      .expect(200)
      .expect('Content-Type', /application\/json/);
    expect(doc.body).toEqual(committed);
    expect(doc.headers['content-security-policy']).toContain("default-src 'none'");
    const page = await request(app.url)
      .get('/docs/asyncapi')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    // A document's CSP (script-src 'self'); the page has no script to need more, and its style is inline (allowed).
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).not.toMatch(/<script/i);
    for (const address of ['/ws/prices', '/ws/prices/{symbol}', '/ws/user']) expect(page.text).toContain(`<code>${address}</code>`);
    expect(page.text).toContain('id="message-user-order_filled"');
    const spec = await request(app.url).get('/openapi.json').expect(200);
    expect(spec.body.info.description).toContain('/docs/asyncapi');
  });

  it('keeps the compiled server for the next start once it listens, and starts as well from a damaged cache', async () => {
    // The first start of a build compiles the bundle and, once listening, saves V8's code cache.
    const [file] = await waitFor(() => (cacheFiles().length ? cacheFiles() : undefined), 10_000, 'the code cache to be written');
    expect(readFileSync(join(codeCacheDir, file)).length).toBeGreaterThan(100_000);
    // A cache that V8 refuses (here: garbage) costs a normal compile, and is replaced.
    writeFileSync(join(codeCacheDir, file), 'not a code cache');
    const { PORT: _port, APP_URL: _url, ...env } = app.env;
    const second = await startApp(env);
    try {
      await request(second.url).get('/api/health').expect(200);
      await waitFor(() => readFileSync(join(codeCacheDir, file)).length > 100_000, 10_000, 'the damaged cache to be replaced');
      expect(second.output()).not.toMatch(/launcher:/);
    } finally {
      await second.stop();
    }
    // The next start takes that cache (V8 accepts it for the source as the launcher reads it): nothing is written again.
    const saved = statSync(join(codeCacheDir, file)).mtimeMs;
    const third = await startApp(env);
    try {
      await request(third.url).get('/api/health').expect(200);
    } finally {
      await third.stop();
    }
    expect(cacheFiles()).toEqual([file]);
    expect(statSync(join(codeCacheDir, file)).mtimeMs).toBe(saved);
  });

  it('keeps one code cache per set of V8 flags, so starts with and without a heap limit do not recompile in turn', async () => {
    // backend/scripts/run.sh (npm start, the image) sets a heap limit, the tests do not; V8 refuses a cache made under
    // other flags. Each set keeps its own file.
    const [ours] = await waitFor(() => (cacheFiles().length ? cacheFiles() : undefined), 10_000, 'the code cache to be written');
    const oursBefore = readFileSync(join(codeCacheDir, ours));
    const { PORT: _port, APP_URL: _url, ...env } = app.env;
    const limited = await startApp({ ...env, NODE_OPTIONS: '--max-old-space-size=384' });
    try {
      await request(limited.url).get('/api/health').expect(200);
      const theirs = await waitFor(() => cacheFiles().find((f) => f !== ours), 10_000, "the heap-limited start's own code cache");
      expect(readFileSync(join(codeCacheDir, theirs)).length).toBeGreaterThan(100_000);
    } finally {
      await limited.stop();
    }
    // The first set's cache is still there, untouched, for its next start.
    expect(cacheFiles()).toContain(ours);
    expect(readFileSync(join(codeCacheDir, ours)).equals(oursBefore)).toBe(true);
  });

  it('echoes a well-formed X-Request-Id and stamps it on error bodies', async () => {
    const res = await request(app.url).get('/api/nothing-here').set('X-Request-Id', 'test-req-12345').expect(404);
    expect(res.headers['x-request-id']).toBe('test-req-12345');
    expect(res.body).toEqual({ statusCode: 404, error: { code: 'NOT_FOUND', message: 'No such route' }, requestId: 'test-req-12345' });
  });

  it('answers malformed JSON with 400 in the error shape, never a stack trace', async () => {
    const res = await request(app.url).post('/api/anything').set('Content-Type', 'application/json').send('{"email": ').expect(400);
    expect(res.body.error).toEqual({ code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/);
  });

  it('refuses bodies over 1 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1_100_000) });
    const res = await request(app.url).post('/api/anything').set('Content-Type', 'application/json').send(big).expect(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('hands out a CSRF token as a readable SameSite cookie and keeps it stable', async () => {
    const first = await request(app.url).get('/api/csrf').expect(200);
    expect(first.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    const cookie = first.headers['set-cookie'] as unknown as string[];
    expect(cookie.join(';')).toMatch(/csrf_token=.*SameSite=Strict/);
    const again = await request(app.url).get('/csrf').set('Cookie', `csrf_token=${first.body.csrfToken}`).expect(200);
    expect(again.body.csrfToken).toBe(first.body.csrfToken);
  });

  it('sends the security headers of an API on the API and never allows an unlisted origin with credentials', async () => {
    const res = await request(app.url).get('/api').set('Origin', 'https://evil.example').expect(200);
    // OWASP's headers for a REST API: nothing may frame, sniff or load anything from a JSON answer.
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // A document's headers (what a page's scripts may do) are the web client's, not the API's.
    expect(res.headers['x-dns-prefetch-control']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const ok = await request(app.url).get('/api').set('Origin', app.url).expect(200);
    expect(ok.headers['access-control-allow-origin']).toBe(app.url);
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    expect(ok.headers['access-control-expose-headers']).toBe('X-Request-Id,Retry-After');
    expect(ok.headers.vary).toContain('Origin');
    // Not a cross-origin request: no CORS headers, but caches still keep answers apart by Origin.
    const sameOrigin = await request(app.url).get('/api').expect(200);
    expect(sameOrigin.headers['access-control-allow-credentials']).toBeUndefined();
    expect(sameOrigin.headers.vary).toContain('Origin');
  });

  it("keeps an idle connection open longer than a proxy in front does (65 s, not Node's 5 s)", async () => {
    // nginx reuses an upstream connection for up to 60 s idle; a backend that closes it sooner races the next POST sent on
    // it, which nginx cannot retry (502). The Keep-Alive header is the server's idle timeout as Node applies it.
    const res = await fetch(`${app.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('sends the docs page the security headers of a document', async () => {
    const res = await request(app.url).get('/docs/').expect(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-dns-prefetch-control']).toBe('off');
  });
});
