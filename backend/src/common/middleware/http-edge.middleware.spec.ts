import express from 'express';
import helmet from 'helmet';
import pino from 'pino';
import { Writable } from 'node:stream';
import request from 'supertest';
import { compileTrustProxy } from '../http/client-ip';
import { requestContext } from '../request-context';
import { httpEdge, installRequestDefaults, staticHeadersOf } from './http-edge.middleware';

const ORIGIN = 'https://app.example';

function edgeApp(timeoutMs = 5_000, trustProxy?: boolean) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const app = express();
  const trust = compileTrustProxy(trustProxy ? 'true' : undefined);
  if (trustProxy) app.set('trust proxy', trust.fn);
  installRequestDefaults(app.request);
  app.use(
    httpEdge({
      securityHeaders: staticHeadersOf(helmet()),
      cors: {
        origins: [ORIGIN],
        methods: ['GET', 'POST'],
        allowedHeaders: ['Content-Type', 'X-CSRF-Token'],
        exposedHeaders: ['X-Request-Id'],
        maxAgeSeconds: 600,
      },
      timeoutMs,
      logger,
      quietPaths: ['/health'],
      bodyParsers: [express.json()],
      trustProxy: trust,
    }),
  );
  app.get('/ok', (req, res) => {
    res.json({ cookies: req.cookies as unknown });
  });
  app.get('/missing', (_req, res) => {
    res.status(404).json({});
  });
  app.get('/health', (_req, res) => {
    res.status(404).json({});
  });
  app.get('/hangs', () => undefined);
  app.get('/ip', (req, res) => {
    res.json({ context: requestContext.getStore()?.ip, express: req.ip });
  });
  app.post('/echo', (req, res) => {
    res.json({ body: req.body as unknown });
  });
  return { app, lines };
}

describe('httpEdge', () => {
  it('sets exactly the headers helmet itself sets', async () => {
    const plain = express();
    plain.use(helmet());
    plain.get('/ok', (_req, res) => {
      res.send('ok');
    });
    const viaHelmet = await request(plain).get('/ok').expect(200);
    const viaEdge = await request(edgeApp().app).get('/ok').expect(200);
    const helmetNames = Object.keys(viaHelmet.headers).filter(
      (h) => !['content-type', 'content-length', 'etag', 'date', 'connection', 'keep-alive'].includes(h),
    );
    expect(helmetNames.length).toBeGreaterThan(8);
    for (const name of helmetNames) expect([name, viaEdge.headers[name]]).toEqual([name, viaHelmet.headers[name]]);
  });

  it("gives API calls the API's security headers and pages a document's, and CORS headers only to cross-origin requests", async () => {
    const app = express();
    const apiHeaders = staticHeadersOf(
      helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"] } }, xDnsPrefetchControl: false }),
    );
    app.use(
      httpEdge({
        securityHeaders: staticHeadersOf(helmet()),
        api: { paths: /^\/api(\/|\?|$)/, securityHeaders: apiHeaders },
        cors: { origins: [ORIGIN], methods: ['GET'], allowedHeaders: [], exposedHeaders: ['X-Request-Id'], maxAgeSeconds: 600 },
        timeoutMs: 5_000,
        logger: pino({ level: 'silent' }),
        quietPaths: [],
        bodyParsers: [],
      }),
    );
    app.get(['/api/x', '/apix', '/page'], (_req, res) => {
      res.send('ok');
    });
    const api = await request(app).get('/api/x?a=1').expect(200);
    expect(api.headers['content-security-policy']).toBe("default-src 'none'");
    expect(api.headers['x-dns-prefetch-control']).toBeUndefined();
    for (const path of ['/page', '/apix']) {
      const page = await request(app).get(path).expect(200);
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.headers['x-dns-prefetch-control']).toBe('off');
    }
    expect(api.headers['access-control-allow-credentials']).toBeUndefined();
    expect(api.headers['access-control-expose-headers']).toBeUndefined();
    expect(api.headers.vary).toBe('Origin');
    const cross = await request(app).get('/api/x').set('Origin', ORIGIN).expect(200);
    expect(cross.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(cross.headers['access-control-allow-credentials']).toBe('true');
    expect(cross.headers['access-control-expose-headers']).toBe('X-Request-Id');
  });

  it('echoes a well-formed X-Request-Id and makes one up otherwise', async () => {
    const { app } = edgeApp();
    expect((await request(app).get('/ok').set('X-Request-Id', 'caller-id-1234')).headers['x-request-id']).toBe('caller-id-1234');
    expect((await request(app).get('/ok').set('X-Request-Id', 'bad id!')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a preflight from a listed origin with 204 and the allowed methods and headers, and ignores other origins', async () => {
    const { app } = edgeApp();
    const ok = await request(app).options('/echo').set('Origin', ORIGIN).set('Access-Control-Request-Method', 'POST').expect(204);
    expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    expect(ok.headers['access-control-allow-methods']).toBe('GET,POST');
    expect(ok.headers['access-control-allow-headers']).toBe('Content-Type,X-CSRF-Token');
    expect(ok.headers['access-control-max-age']).toBe('600');
    expect(ok.headers.vary).toBe('Origin');
    const evil = await request(app).get('/ok').set('Origin', 'https://evil.example').expect(200);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(evil.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('puts the client address in the request context: the socket address unless proxies are trusted', async () => {
    const direct = await request(edgeApp(5_000, false).app).get('/ip').set('X-Forwarded-For', '203.0.113.9').expect(200);
    expect(direct.body).toEqual({ context: expect.stringMatching(/127\.0\.0\.1|::1/), express: direct.body.express });
    expect(direct.body.context).toBe(direct.body.express);
    const proxied = await request(edgeApp(5_000, true).app).get('/ip').set('X-Forwarded-For', '203.0.113.9').expect(200);
    expect(proxied.body).toEqual({ context: '203.0.113.9', express: '203.0.113.9' });
  });

  it('parses cookies when there are some and JSON bodies when one is sent', async () => {
    const { app } = edgeApp();
    expect((await request(app).get('/ok').set('Cookie', 'a=1; b=two')).body).toEqual({ cookies: { a: '1', b: 'two' } });
    expect((await request(app).get('/ok')).body).toEqual({ cookies: {} });
    expect((await request(app).post('/echo').send({ x: 1 })).body).toEqual({ body: { x: 1 } });
  });

  it('answers 503 with Retry-After and the request id when a request is not answered in time', async () => {
    const { app } = edgeApp(100);
    const started = Date.now();
    const res = await request(app).get('/hangs').set('X-Request-Id', 'slow-request-1').expect(503);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toEqual({
      statusCode: 503,
      error: { code: 'SERVICE_UNAVAILABLE', message: 'The request took too long; please retry' },
      requestId: 'slow-request-1',
    });
  });

  it('logs one line per answered request at the level its status calls for, and none for probes', async () => {
    const { app, lines } = edgeApp();
    await request(app).get('/ok').expect(200);
    await request(app).get('/missing?x=1').set('X-Request-Id', 'missing-req-1').expect(404);
    await request(app).get('/health').expect(404);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      requestId: 'missing-req-1',
      req: { id: 'missing-req-1', method: 'GET', url: '/missing' },
      res: { statusCode: 404 },
    });
    expect(typeof lines[0].responseTime).toBe('number');
  });
});
