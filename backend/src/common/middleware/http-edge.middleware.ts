import { randomUUID } from 'node:crypto';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error';
import { recordErrorCode, timedOutResponses, toErrorBody } from '../filters/all-exceptions.filter';
import { negotiateLanguage } from '../i18n/error-language';
import { clientIp, compileTrustProxy, type TrustProxy } from '../http/client-ip';
import { loggableUrl } from '../logger/logger';
import { requestContext } from '../request-context';

const VALID_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export interface CorsPolicy {
  origins: string[];
  methods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAgeSeconds: number;
}

export interface HttpEdgeOptions {
  /** The security headers of documents (the web client, the docs), as helmet computed them once (see `staticHeadersOf`). */
  securityHeaders: [string, string][];
  /**
   * The requests that are API calls (JSON, never rendered by a browser as a page), tested on the URL,
   * and the shorter set of security headers they get instead (OWASP's for REST APIs: no framing,
   * no sniffing, no resources, no referrer). Unset: every response gets `securityHeaders`.
   */
  api?: { paths: RegExp; securityHeaders: [string, string][] };
  cors: CorsPolicy;
  /** Answer 503 when a request has not been answered after this long. */
  timeoutMs: number;
  logger: Logger;
  /** Paths whose completion is never logged (probes). */
  quietPaths: string[];
  /** Run in turn, and only for requests that announce a body (Content-Length or Transfer-Encoding). */
  bodyParsers: RequestHandler[];
  /**
   * TRUST_PROXY, compiled (the same function Express' 'trust proxy' is set to): the client address
   * of the request context (logs, audit, sessions, rate limits) is `clientIp(req, trustProxy)`.
   * Default: no proxy trusted, the socket's peer.
   */
  trustProxy?: TrustProxy;
  /** Called once per response when it closes (finished or aborted), e.g. for metrics; after routing, so `req.route` is set. */
  onResponse?: (req: Request, res: Response, durationMs: number) => void;
}

type EdgeRequest = Request & { id?: string };

/** A request in flight: its id and when it arrived. Kept beside the request, not on it (see httpEdge). */
interface Flight {
  id: string;
  started: number;
}

const NO_COOKIES: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

/**
 * Gives every request of an Express app an empty, read-only `req.cookies`
 * by default (from the request prototype), so that requests without a Cookie
 * header need no property of their own; httpEdge parses the header when one is sent.
 */
export function installRequestDefaults(requestPrototype: object): void {
  Object.defineProperty(requestPrototype, 'cookies', { value: NO_COOKIES, writable: true, configurable: true, enumerable: true });
}

/**
 * Runs a header-setting middleware (helmet) once against a recording response
 * and returns the headers it set. Helmet's headers depend only on its options,
 * so they can be computed at boot and replayed per request.
 */
export function staticHeadersOf(middleware: (req: never, res: never, next: () => void) => void): [string, string][] {
  const headers = new Map<string, [string, string]>();
  const res = {
    setHeader(name: string, value: string | number | string[]) {
      headers.set(name.toLowerCase(), [name, Array.isArray(value) ? value.join(', ') : String(value)]);
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
    getHeader(name: string) {
      return headers.get(name.toLowerCase())?.[1];
    },
  };
  let called = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as never, res as never, () => (called = true));
  if (!called) throw new Error('the header middleware did not call next() synchronously; its headers cannot be precomputed');
  return [...headers.values()];
}

function addVaryOrigin(res: Response): void {
  const current = res.getHeader('Vary');
  if (current === undefined) res.setHeader('Vary', 'Origin');
  else if (!/(^|,)\s*(origin|\*)\s*(,|$)/i.test(String(current))) res.setHeader('Vary', `${String(current)}, Origin`);
}

/** `type-is`'s hasBody: a body is announced by Transfer-Encoding or a Content-Length. */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined;
}

/**
 * The one middleware every request passes before routing, doing in a single
 * step what request-id, pino-http, helmet, cors and cookie-parser did as five:
 * - a request id (the caller's `X-Request-Id` when well-formed), echoed in the
 *   response and stamped on every log line through the request context;
 * - the security headers (computed once at boot) and CORS for the allow-list,
 *   answering preflights itself (same headers and 204 as the `cors` package);
 * - cookies parsed only when the request has some, bodies only when one is announced;
 * - a 503 with Retry-After when the request is not answered in time (no timer
 *   per request: one sweep over the requests in flight, which are in deadline
 *   order, every tenth of the timeout, at most every second; a late answer is dropped);
 * - one structured log line when the response closes (level by status:
 *   ≥500 error, ≥400 info, else debug), skipped when that level is off,
 *   and the `onResponse` hook (request metrics).
 */
export function httpEdge(options: HttpEdgeOptions): RequestHandler {
  const { securityHeaders, api, cors, timeoutMs, logger, quietPaths, bodyParsers, onResponse } = options;
  const trustProxy = options.trustProxy ?? compileTrustProxy(undefined);
  const allowed = new Set(cors.origins);
  const methods = cors.methods.join(',');
  const allowedHeaders = cors.allowedHeaders.join(',');
  const exposedHeaders = cors.exposedHeaders.join(',');
  const maxAge = String(cors.maxAgeSeconds);
  const quiet = new Set(quietPaths);
  const parseCookies = cookieParser();
  const noop = (): void => undefined;

  /** Responses in flight, in arrival order, which is deadline order (one timeout for all). */
  const inflight = new Map<Response, Flight>();
  /** Responses answered 503 by the sweep and not closed yet. */
  const expired = new Map<Response, Flight>();
  const sweep = (): void => {
    const now = Date.now();
    for (const [res, f] of inflight) {
      if (f.started + timeoutMs > now) break;
      inflight.delete(res);
      expired.set(res, f);
      onTimeout(f.id, res);
    }
  };
  setInterval(sweep, Math.min(1_000, Math.max(20, Math.floor(timeoutMs / 10)))).unref();

  const onTimeout = (id: string, res: Response): void => {
    if (res.headersSent || res.writableEnded || res.destroyed) return;
    timedOutResponses.add(res);
    const { body, headers } = toErrorBody(
      new AppError(503, 'SERVICE_UNAVAILABLE', 'The request took too long; please retry', undefined, { 'Retry-After': '5' }),
      id,
      negotiateLanguage(res.req.headers['accept-language']),
    );
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.vary('Accept-Language');
    recordErrorCode(res, body.error.code);
    res.status(503).json(body);
  };

  // One function for every response ('close' follows 'finish', or an abort): no closure per request.
  function onClose(this: Response): void {
    closed(this);
  }

  function closed(res: Response): void {
    let f = inflight.get(res);
    if (f) inflight.delete(res);
    else if ((f = expired.get(res))) expired.delete(res);
    if (!f) return;
    const req = res.req as EdgeRequest;
    onResponse?.(req, res, Date.now() - f.started);
    if (quiet.has(req.originalUrl)) return;
    const status = res.statusCode;
    // 503: a dependency is down or the request timed out, already logged with its cause; not a bug of ours.
    const level = status === 503 ? 'warn' : status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
    if (!logger.isLevelEnabled(level)) return;
    const line: Record<string, unknown> = {
      requestId: f.id,
      req: { id: f.id, method: req.method, url: loggableUrl(req.originalUrl) },
      res: { statusCode: status },
      responseTime: Date.now() - f.started,
    };
    if (status >= 500) line.err = new Error(`failed with status code ${status}`);
    logger[level](line, status >= 500 ? 'request errored' : res.writableFinished ? 'request completed' : 'request aborted');
  }

  return function edge(req: EdgeRequest, res: Response, next: NextFunction): void {
    // Nothing is added to `req` on the common path: Express has already given
    // it a changed prototype and several properties, and each further one cost
    // more than everything else this step does (measured: ~11 µs a request).
    // The id lives in the request context (and here, for the log line).
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && VALID_ID.test(incoming) ? incoming : randomUUID();
    inflight.set(res, { id, started: Date.now() });
    res.on('close', onClose);
    res.setHeader('X-Request-Id', id);
    const security = api?.paths.test(req.url) ? api.securityHeaders : securityHeaders;
    for (let i = 0; i < security.length; i++) res.setHeader(security[i][0], security[i][1]);

    // CORS: a request from an origin off the list gets no CORS headers (the browser refuses it);
    // one with no Origin is not a cross-origin request and needs none but Vary.
    const origin = req.headers.origin;
    const corsOk = !origin || allowed.has(origin);
    if (corsOk) addVaryOrigin(res);
    if (origin && corsOk) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', methods);
        res.setHeader('Access-Control-Allow-Headers', allowedHeaders);
        res.setHeader('Access-Control-Max-Age', maxAge);
        res.setHeader('Access-Control-Expose-Headers', exposedHeaders);
        res.statusCode = 204;
        res.setHeader('Content-Length', '0');
        res.end();
        return;
      }
      res.setHeader('Access-Control-Expose-Headers', exposedHeaders);
    }

    if (req.headers.cookie) {
      // cookie-parser leaves a request alone when `req.cookies` is set (here: the prototype's default).
      (req as { cookies?: unknown }).cookies = undefined;
      parseCookies(req, res, noop);
    }

    const ua = req.headers['user-agent'];
    const ip = clientIp(req, trustProxy);
    const context = { requestId: id, ip, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : undefined };
    requestContext.run(context, hasBody(req) ? () => parseBody(req, res, next) : next);
  };

  function parseBody(req: Request, res: Response, next: NextFunction): void {
    let i = 0;
    const step = (err?: unknown): void => {
      if (err || i === bodyParsers.length) {
        next(err);
        return;
      }
      void bodyParsers[i++](req, res, step);
    };
    step();
  }
}
