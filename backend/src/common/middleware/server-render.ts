import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { Request } from 'express';
import { RENDER_FOR_HEADER, RENDER_TOKEN, RENDER_TOKEN_HEADER } from '../http/client-ip';
import { negotiateLanguage } from '../i18n/error-language';
import { requestContext } from '../request-context';

/**
 * The public pages a first visit lands on, rendered on the server (the web client's app.routes.server.ts says the
 * same): the markets and one coin. Their first HTML then carries the prices, instead of an empty page that waits for
 * the whole app before it shows anything (issue 22, goal 8). The browser's app takes the page over (hydration).
 */
const RENDERED = /^\/(markets|coin\/([A-Za-z0-9][A-Za-z0-9._-]{0,63}))\/?$/;

/** What server.ts (the web client's server entry) exports: one page request rendered by Angular's app engine. */
type RenderFn = (path: string, context: RenderContext) => Promise<{ status: number; text(): Promise<string> } | null>;

/** The web client's ServerRenderContext (frontend/src/app/core/http/server-render.interceptor.ts), and what the render reports. */
interface RenderContext {
  apiOrigin: string;
  headers: Record<string, string>;
  /** API calls of the render that failed (set by the client's serverRenderInterceptor). */
  failures?: number;
}

export interface RenderedPage {
  status: number;
  html: Buffer;
  /** Compressed copies, made on first use. */
  br?: Buffer;
  gzip?: Buffer;
}

export interface ServerRenderOptions {
  /** The built client's browser directory (CLIENT_DIR); its server bundle is `../server/server.mjs`. */
  clientDir: string;
  /** The server bundle's entry, when not beside `clientDir` (the unit test's stand-in for the client's build). */
  serverEntry?: string;
  /**
   * The catalogue's own id of the coin `id` names (its CoinGecko id), or undefined for none. Only that exact spelling
   * is rendered: an unknown coin has nothing to show, and another spelling of a known one (`BITCOIN`, `btc`) would be a
   * way around the cache.
   */
  coinId: (id: string) => string | undefined;
  /** A page is rendered again after this long (the live prices take over in the browser anyway). */
  cacheMs?: number;
  /** Renders at once; a request beyond gets the client's index page straight away (rendering never queues). */
  maxConcurrent?: number;
  /**
   * Renders started per second at most, over every page (a burst of cache misses costs no more CPU than this: a render
   * takes ≈ 50–60 ms of one core on the 2-core machine of bench/RESULTS.md, so 4 a second hold it under a quarter).
   */
  maxPerSecond?: number;
  /** A render that takes longer is not waited for: the request gets the client's index page. */
  timeoutMs?: number;
  log?: (event: string, detail: Record<string, unknown>) => void;
}

const CACHED_PAGES = 128;

/**
 * Server rendering for the web client's public pages, for the backend's web-client middleware: `page(req)` is the
 * rendered page for a navigation it renders, or undefined — then the client's index page is sent as before. Undefined
 * when the client was built without its server bundle.
 *
 * What a render costs is bounded: pages are cached for `cacheMs` (they do not depend on the visitor: signed out,
 * English); at most `maxConcurrent` renders run and `maxPerSecond` start; a render that fails, is slow, or whose API
 * calls failed falls back to the index page, is not cached, and its page is not tried again for `cacheMs` (a visitor
 * out of rate limit, whose renders all fail, cannot keep the renderer busy). A request never waits more than
 * `timeoutMs` for a render, its own or one it joins. The render's API calls go to this backend over loopback and count
 * against the visitor's own rate limits (clientIp's render attribution). A client rebuilt since its server bundle was
 * loaded would be rendered with the old build's script names: rendering stops (index.html for every page) until the
 * backend restarts, and says so once.
 */
export function serverRenderer(opts: ServerRenderOptions): { page(req: Request): Promise<RenderedPage | undefined> } | undefined {
  const entry = opts.serverEntry ?? join(opts.clientDir, '..', 'server', 'server.mjs');
  if (!existsSync(entry)) return undefined;
  const cacheMs = opts.cacheMs ?? 1000;
  const maxConcurrent = opts.maxConcurrent ?? 2;
  const maxPerSecond = opts.maxPerSecond ?? 4;
  const timeoutMs = opts.timeoutMs ?? 3000;
  const log = opts.log ?? (() => undefined);
  // Loaded on the first page it renders: a backend that never serves one never pays for the client's server bundle.
  // With `require` (Node 20.19+ loads an ES module so): no `import()` may run in the backend's bundle (launcher.ts).
  let engine: Promise<RenderFn | undefined> | undefined;
  let loadedBuild: number | undefined;
  const load = (): Promise<RenderFn | undefined> =>
    (engine ??= new Promise<RenderFn | undefined>((resolve) => {
      try {
        loadedBuild = statSync(entry).mtimeMs;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- an ES module by path, at first use (see above)
        resolve((require(entry) as { render?: RenderFn }).render);
      } catch (err) {
        log('server bundle not loaded', { err });
        resolve(undefined);
      }
    }));
  // Whether the client was rebuilt since its server bundle was loaded (checked at most once a second).
  let rebuilt = false;
  let checkedAt = 0;
  const clientRebuilt = (now: number): boolean => {
    if (rebuilt || loadedBuild === undefined || now - checkedAt < 1000) return rebuilt;
    checkedAt = now;
    let current: number | undefined;
    try {
      current = statSync(entry).mtimeMs;
    } catch {
      current = undefined;
    }
    if (current !== loadedBuild) {
      rebuilt = true;
      log('the web client was rebuilt since its server bundle was loaded: pages are no longer rendered until a restart', { entry });
    }
    return rebuilt;
  };
  const failedAt = new Map<string, number>();
  const cache = new Map<string, { at: number; page: RenderedPage }>();
  const running = new Map<string, Promise<RenderedPage | undefined>>();
  let inFlight = 0;
  let second = 0;
  let startedThisSecond = 0;

  async function renderPage(path: string, origin: string, visitor: string): Promise<RenderedPage | undefined> {
    const render = await load();
    if (!render) return undefined;
    const context: RenderContext = {
      apiOrigin: origin,
      headers: { [RENDER_TOKEN_HEADER]: RENDER_TOKEN, [RENDER_FOR_HEADER]: visitor, 'accept-language': 'en' },
    };
    const started = Date.now();
    const res = await render(path, context);
    if (!res || res.status !== 200) return undefined;
    const html = await res.text();
    if ((context.failures ?? 0) > 0) {
      log('page rendered without its data: not used', { path, failures: context.failures });
      return undefined;
    }
    log('page rendered', { path, durationMs: Date.now() - started });
    return { status: res.status, html: Buffer.from(html) };
  }

  return {
    async page(req: Request): Promise<RenderedPage | undefined> {
      const match = RENDERED.exec(req.path);
      if (!match) return undefined;
      if (match[2] !== undefined && opts.coinId(match[2]) !== match[2]) return undefined;
      // A query string is the client's business (and no way around the cache).
      if (req.originalUrl.includes('?')) return undefined;
      const key = req.path.replace(/\/$/, '');
      const now = Date.now();
      if (clientRebuilt(now)) return undefined;
      const hit = cache.get(key);
      if (hit && now - hit.at < cacheMs) return hit.page;
      let rendering = running.get(key);
      if (!rendering) {
        if (now - (failedAt.get(key) ?? -Infinity) < cacheMs) return undefined;
        const nowSecond = Math.floor(now / 1000);
        if (nowSecond !== second) [second, startedThisSecond] = [nowSecond, 0];
        if (inFlight >= maxConcurrent || startedThisSecond >= maxPerSecond) return undefined;
        inFlight++;
        startedThisSecond++;
        const visitor = requestContext.getStore()?.ip ?? req.socket.remoteAddress ?? 'unknown';
        rendering = renderPage(key, `http://127.0.0.1:${req.socket.localPort}`, visitor)
          .catch((err: unknown) => {
            log('page not rendered', { path: key, err });
            return undefined;
          })
          .then((page) => {
            if (page) {
              failedAt.delete(key);
              cache.delete(key);
              cache.set(key, { at: Date.now(), page });
              if (cache.size > CACHED_PAGES) cache.delete(cache.keys().next().value as string);
            } else {
              failedAt.set(key, Date.now());
              if (failedAt.size > CACHED_PAGES) failedAt.delete(failedAt.keys().next().value as string);
            }
            return page;
          })
          .finally(() => {
            inFlight--;
            running.delete(key);
          });
        running.set(key, rendering);
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, timeoutMs, undefined)));
      return Promise.race([rendering, late]).finally(() => clearTimeout(timer));
    },
  };
}

/** The page compressed with `coding` (made once per rendered page). */
export function compressedPage(page: RenderedPage, coding: 'br' | 'gzip'): Buffer {
  if (coding === 'br') {
    page.br ??= brotliCompressSync(page.html, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: page.html.length, [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT },
    });
    return page.br;
  }
  page.gzip ??= gzipSync(page.html, { level: 6 });
  return page.gzip;
}

/**
 * Whether the visitor's page is the English one the server renders: the language the client will start in is the
 * remembered one (the `cv-lang` cookie the client sets beside its localStorage), else the first of the browser's
 * languages the client has (Accept-Language, by q: the API's own negotiation, error-language.ts), else English — the
 * client's own rule (language.ts).
 */
export function rendersInEnglish(req: Request): boolean {
  const saved = (req as { cookies?: Record<string, string> }).cookies?.['cv-lang'];
  // An unknown remembered code starts the client in English, as negotiation does (one tag: its language, or English).
  return negotiateLanguage(saved || req.headers['accept-language']) === 'en';
}
