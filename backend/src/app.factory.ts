import 'reflect-metadata';
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import helmet from 'helmet';
import type { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module';
import { compileTrustProxy } from './common/http/client-ip';
import { publicReadLane } from './common/http/public-read-lane';
import { RateLimitGuard } from './common/guards/rate-limit.guard';
import { createRootLogger, PinoNestLogger } from './common/logger/logger';
import { jsonBody, MAX_JSON_DEPTH } from './common/middleware/json-body';
import { httpEdge, installRequestDefaults, staticHeadersOf } from './common/middleware/http-edge.middleware';
import { requireJsonBody } from './common/middleware/require-json-body';
import { serverRenderer } from './common/middleware/server-render';
import { webClient } from './common/middleware/web-client.middleware';
import { AppConfigValues } from './config/app-config';
import { currentConfig } from './config/config.service';
import { MetricsService } from './metrics/metrics.service';
import { CryptoController } from './prices/prices.controller';
import { PricesService } from './prices/prices.service';
import { AssetCatalogueService } from './prices/quotes/asset-catalogue.service';
import { buildOpenApiDocument } from './openapi/document';
import { buildAsyncApiDocument } from './asyncapi/asyncapi-document';
import { renderAsyncApiPage } from './asyncapi/asyncapi-page';

/** Everything but `listen`: shared by the server, the tests' boots and the OpenAPI script. */
export async function createApp(options: { preview?: boolean } = {}): Promise<{ app: NestExpressApplication; config: AppConfigValues; logger: PinoLogger }> {
  const config = currentConfig();
  const root = createRootLogger(options.preview ? 'silent' : config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    logger: new PinoNestLogger(root),
    preview: options.preview,
    abortOnError: false,
  });
  configureApp(app, config, root, options.preview ? undefined : app.get(MetricsService));
  if (!options.preview) {
    servePublicReads(app);
    serveWebClient(app, config, root);
  }
  return { app, config, logger: root };
}

function configureApp(app: NestExpressApplication, config: AppConfigValues, root: PinoLogger, metrics: MetricsService | undefined): void {
  // One client-address rule for Express' req.ip, the request context, rate limits and both WebSocket gateways (see clientIp).
  const trustProxy = compileTrustProxy(config.trustProxy);
  app.set('trust proxy', trustProxy.fn);
  app.disable('x-powered-by');
  const securityHeaders = staticHeadersOf(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
          fontSrc: ["'self'", 'data:', 'https://fonts.gstatic.com'],
          imgSrc: ["'self'", 'data:', 'https:'],
          // The client's API calls and its /ws sockets go to its own origin (some browsers' 'self' omits ws:).
          connectSrc: ["'self'", sameOriginSockets(config.appUrl)],
          upgradeInsecureRequests: config.cookieSecure ? [] : null,
        },
      },
      hsts: config.profile === 'production',
    }),
  );
  // API responses are JSON that no browser renders as a page: the headers OWASP's REST Security
  // Cheat Sheet asks of an API (no framing, no sniffing, nothing loaded, no referrer), not a
  // document's (script and style sources, DNS prefetch, download options, opener policy, ...).
  const apiSecurityHeaders = staticHeadersOf(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      frameguard: { action: 'deny' },
      hsts: config.profile === 'production',
      crossOriginOpenerPolicy: false,
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
    }),
  );
  // Request id, request log, security headers, CORS, cookies and the request timeout, in one step (see httpEdge).
  installRequestDefaults((app.getHttpAdapter().getInstance() as express.Express).request);
  app.use(
    httpEdge({
      securityHeaders,
      api: { paths: API_PATHS, securityHeaders: apiSecurityHeaders },
      cors: {
        origins: config.corsOrigins,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['Content-Type', 'Authorization', 'X-CSRF-Token', 'Idempotency-Key', 'X-Request-Id'],
        exposedHeaders: ['X-Request-Id', 'Retry-After'],
        maxAgeSeconds: 600,
      },
      timeoutMs: config.requestTimeoutMs,
      logger: root,
      quietPaths: ['/health'],
      // JSON only (415 otherwise: no HTML form on another site can post to the API); the IPN webhook keeps its own checks.
      // JSON nested over 32 levels is 400 INVALID_BODY; webhooks (a NOWPayments IPN is < 4 KB) take 16 KB at most.
      bodyParsers: [
        requireJsonBody({ except: WEBHOOK_PATHS }),
        jsonBody({ limit: '1mb', maxDepth: MAX_JSON_DEPTH, routes: [{ prefix: '/api/wallet/webhook/', limit: '16kb' }] }),
      ],
      trustProxy,
      onResponse: metrics && ((req, res, durationMs) => metrics.observeHttp(req, res, durationMs)),
    }),
  );
  app.useWebSocketAdapter(new WsAdapter(app));
  // No enableShutdownHooks(): main.ts installs the graceful shutdown (drain first, then Nest's hooks, then exit 0).
}

/** Routes other servers call (payment IPNs): exempt from the JSON-only rule, verified by their signature. */
const WEBHOOK_PATHS = /^\/api\/wallet\/webhook\//;

/** The URLs no browser renders as a page: the API, the probes, /metrics and the OpenAPI and AsyncAPI documents (/docs is a page). */
const API_PATHS = /^\/(api|health|metrics|csrf|openapi\.(json|yaml)|asyncapi\.json)(\/|\?|$)/;

/** ws://host:port (wss:// behind https) of the public URL. */
function sameOriginSockets(appUrl: string): string {
  const url = new URL(appUrl);
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
}

/**
 * GET /api/crypto answered before Nest's router (and the web client's middleware), with the same headers, rate limit,
 * log line and metrics (see publicReadLane); Nest's route answers what the lane passes on.
 */
function servePublicReads(app: NestExpressApplication): void {
  const prices = app.get(PricesService);
  const lane = publicReadLane(
    { controller: CryptoController, method: 'listCryptocurrencies', cached: () => prices.listJsonIfFresh() },
    app.get(RateLimitGuard),
  );
  (app.getHttpAdapter().getInstance() as express.Express).get('/api/crypto', lane);
}

/**
 * The built Angular client at `/` with the SPA fallback (see webClient). Registered
 * before Nest's routes, which it never shadows: the backend's paths pass straight through.
 */
function serveWebClient(app: NestExpressApplication, config: AppConfigValues, root: PinoLogger): void {
  const catalogue = app.get(AssetCatalogueService);
  const logger = root.child({ context: 'ServerRender' });
  // The render's API calls go to 127.0.0.1 at this server's port: on a HOST that loopback does not reach, no render.
  const loopbackReaches = ['0.0.0.0', '::', '127.0.0.1', 'localhost', '::ffff:127.0.0.1'].includes(config.host);
  if (config.serverRender && !loopbackReaches) bootLogger.warn(`Pages not rendered on the server: HOST ${config.host} is not reachable at 127.0.0.1`);
  const renderer =
    config.serverRender && loopbackReaches
      ? serverRenderer({
          clientDir: config.clientDir,
          coinId: (id) => catalogue.find(id)?.coingeckoId,
          // Below the request timeout, so a slow render gives the visitor the client's page, not the edge's 503.
          timeoutMs: Math.max(100, Math.min(config.serverRenderTimeoutMs, config.requestTimeoutMs - 500)),
          log: (msg, detail) => (msg === 'page rendered' ? logger.debug(detail, msg) : logger.warn(detail, msg)),
        })
      : undefined;
  const handler = webClient(config.clientDir, { render: renderer && ((req) => renderer.page(req)) });
  if (handler) {
    app.use(handler);
    bootLogger.log(`Web client served at / from ${config.clientDir}${renderer ? ' (markets and coin pages rendered on the server)' : ''}`);
  } else {
    bootLogger.log(`Web client not served: no index.html in ${config.clientDir} (build it with \`npm run build:client\`, or set CLIENT_DIR)`);
  }
}

/**
 * Serves Swagger UI at /docs and the document at /openapi.json; the WebSocket API's AsyncAPI document at
 * /asyncapi.json and as a page at /docs/asyncapi.
 */
export function mountDocs(app: INestApplication, version: string): void {
  // Built on the first request for either, not at every start (scanning every controller was a tenth of a start-up);
  // CI builds the same documents (npm run openapi) and fails on drift, so a broken one never ships.
  let openapi: ReturnType<typeof buildOpenApiDocument> | undefined;
  const openApiDocument = () => (openapi ??= buildOpenApiDocument(app, version));
  let asyncapi: { json: string; page: string } | undefined;
  const asyncApi = () => {
    if (!asyncapi) {
      const doc = buildAsyncApiDocument(openApiDocument(), version);
      asyncapi = { json: JSON.stringify(doc), page: renderAsyncApiPage(doc) };
    }
    return asyncapi;
  };
  const http = app.getHttpAdapter();
  http.get('/asyncapi.json', (_req: express.Request, res: express.Response) => {
    res.type('application/json').send(asyncApi().json);
  });
  http.get('/docs/asyncapi', (_req: express.Request, res: express.Response) => {
    res.type('text/html').send(asyncApi().page);
  });
  SwaggerModule.setup('docs', app, openApiDocument, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: 'CryptoVault API',
  });
}

export const bootLogger = new Logger('Boot');
