import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/**
 * Paths the backend answers itself: never files of the client, never the SPA
 * fallback (a browser opening /docs or /health gets the backend's answer, and
 * an unknown /api route its JSON 404).
 */
const BACKEND_PATHS = /^\/(api|ws|docs|health|metrics|csrf|openapi\.(json|yaml)|asyncapi\.json)(\/|$)/;

/** Build output names carry a content hash (`main-DT5VSZ64.js`, `chunk-NBT37CAT.js`): safe to cache for good. */
const HASHED_ASSET = /-[A-Z0-9]{8}\.(js|mjs|css|woff2?|ttf|svg|png|jpe?g|webp|ico)$/;

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/**
 * Serves the built Angular client from `dir`: its files (hashed assets cached
 * for a year, everything else revalidated on each use), and `index.html` for
 * every other GET/HEAD navigation that asks for HTML outside the backend's own
 * paths, so deep links (`/coin/bitcoin`) reach the client's router.
 * Returns undefined when `dir` has no `index.html` (the client is not built).
 */
export function webClient(dir: string): RequestHandler | undefined {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return undefined;
  const files = express.static(dir, {
    index: 'index.html',
    redirect: false,
    cacheControl: false,
    setHeaders: (res, path) => res.setHeader('Cache-Control', HASHED_ASSET.test(basename(path)) ? IMMUTABLE : REVALIDATE),
  });
  const fallback = (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !/\btext\/html\b/.test(req.headers.accept ?? '')) {
      next();
      return;
    }
    // Read per request, not cached: a rebuilt client replaces index.html and its hashed chunks together.
    res.sendFile(index, { headers: { 'Cache-Control': REVALIDATE } }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  };
  return function serveWebClient(req: Request, res: Response, next: NextFunction): void {
    if (BACKEND_PATHS.test(req.path)) {
      next();
      return;
    }
    void files(req, res, () => fallback(req, res, next));
  };
}
