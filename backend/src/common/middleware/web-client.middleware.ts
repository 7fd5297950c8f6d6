import { existsSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import express, { type NextFunction, type Request, type Response, type RequestHandler } from 'express';
import { compressedPage, rendersInEnglish, type RenderedPage } from './server-render';

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
 * The precompressed copies the client's build writes beside its text files (`frontend/scripts/precompress.mjs`):
 * content coding, file suffix, and the suffix of the ETag that tells them from the file itself. Best first.
 */
const CODINGS = [
  { coding: 'br', suffix: '.br', etag: 'br' },
  { coding: 'gzip', suffix: '.gz', etag: 'gz' },
] as const;
type Coding = (typeof CODINGS)[number];

const cacheControlOf = (file: string): string => (HASHED_ASSET.test(basename(file)) ? IMMUTABLE : REVALIDATE);

/**
 * The content coding to send among `available` (best first), as the request's Accept-Encoding allows (RFC 9110
 * §12.5.3): a coding is acceptable when named, or covered by `*`, with a q-value above 0 (`x-gzip` counts as `gzip`);
 * the highest q wins, a tie goes to the earlier of `available`. None (undefined: send the file as it is) without the
 * header, when nothing available is acceptable, or when `identity` is named with a higher q than the best coding.
 */
export function chooseEncoding(acceptEncoding: string | undefined, available: readonly string[]): string | undefined {
  if (!acceptEncoding) return undefined;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const weight = params.map((p) => /^q\s*=\s*([0-9.]+)$/.exec(p)?.[1]).find((v) => v !== undefined);
    const value = weight === undefined ? 1 : Number(weight);
    q.set(name === 'x-gzip' ? 'gzip' : name, Number.isFinite(value) ? value : 0);
  }
  let best: string | undefined;
  let bestQ = 0;
  for (const coding of available) {
    const value = q.get(coding) ?? q.get('*') ?? 0;
    if (value > bestQ) [best, bestQ] = [coding, value];
  }
  return best !== undefined && (q.get('identity') ?? 0) > bestQ ? undefined : best;
}

/**
 * The file `urlPath` names under `dir`, or undefined for a path `express.static` would not serve as a file either (not
 * decodable, a NUL, a dot segment: `..` or a dotfile). A path ending in `/` names its `index.html`.
 */
function fileOf(dir: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const segments = decoded.split('/').filter(Boolean);
  if (segments.some((s) => s.startsWith('.') || s.includes('\\'))) return undefined;
  if (decoded.endsWith('/')) segments.push('index.html');
  return segments.length === 0 ? undefined : join(dir, ...segments);
}

const statOrNothing = (path: string): Promise<Stats | undefined> => stat(path).catch(() => undefined);

/**
 * The precompressed copies of `file` that are there and not older than it (a copy older than its file was made from
 * an earlier build; `ng build` empties the directory, so only a hand-made copy could be), or undefined when `file` is
 * not a file.
 */
async function copiesOf(file: string): Promise<{ stat: Stats; copies: Coding[] } | undefined> {
  const [original, ...copies] = await Promise.all([file, ...CODINGS.map((c) => file + c.suffix)].map(statOrNothing));
  if (!original?.isFile()) return undefined;
  const fresh = CODINGS.filter((_, i) => copies[i]?.isFile() && copies[i].mtimeMs >= original.mtimeMs);
  return { stat: original, copies: fresh };
}

/**
 * Sends `file` (under `dir`) compressed when the build left a precompressed copy of it (`file.br`, `file.gz`) that
 * the request's Accept-Encoding takes, with the file's own Content-Type, `Content-Encoding`, `Vary: Accept-Encoding`
 * and an ETag of its own per coding (the file's, `-br`/`-gz` inside the quotes), so a cache never answers a request
 * with a coding it did not ask for, and `If-None-Match` gets its 304 per coding. Otherwise (no copy, none acceptable,
 * an error) calls `identity`, which sends the file as it is; a file that has copies is then sent with the same Vary.
 * A Range request always gets the file as it is (`identity`): ranges of the compressed bytes are nothing a browser
 * asks for, and a copy is sent whole (no `Accept-Ranges`).
 */
async function sendPrecompressed(req: Request, res: Response, dir: string, file: string, identity: () => void): Promise<void> {
  const found = await copiesOf(file).catch(() => undefined);
  if (!found || found.copies.length === 0) {
    identity();
    return;
  }
  res.vary('Accept-Encoding');
  const available = found.copies.map((c) => c.coding);
  const chosen = req.headers.range ? undefined : chooseEncoding(req.headers['accept-encoding'], available);
  const coding = found.copies.find((c) => c.coding === chosen);
  if (!coding) {
    identity();
    return;
  }
  const { size, mtime } = found.stat;
  // express.static's ETag of the file (the `etag` package's: weak, size and time in hex), with the coding's suffix.
  res.setHeader('ETag', `W/"${size.toString(16)}-${mtime.getTime().toString(16)}-${coding.etag}"`);
  res.setHeader('Cache-Control', cacheControlOf(file));
  res.setHeader('Content-Encoding', coding.coding);
  res.type(extname(file));
  const copy = relative(dir, file).split(sep).join('/') + coding.suffix;
  res.sendFile(copy, { root: dir, acceptRanges: false, cacheControl: false }, (err) => {
    if (!err || res.headersSent) return;
    // Gone between the stat and the read (a rebuild): the file as it is, without this coding's headers.
    for (const header of ['ETag', 'Content-Encoding', 'Content-Type', 'Cache-Control']) res.removeHeader(header);
    identity();
  });
}

/**
 * Sends a server-rendered page (see server-render.ts): not stored by any cache (the next visit gets the prices of
 * then), compressed as the request allows; it varies with the language the visitor's browser asks for.
 */
function sendRendered(req: Request, res: Response, page: RenderedPage): void {
  res.vary('Accept-Encoding');
  res.vary('Accept-Language');
  res.vary('Cookie');
  res.setHeader('Cache-Control', REVALIDATE);
  res.type('html');
  const coding = chooseEncoding(req.headers['accept-encoding'], ['br', 'gzip']) as 'br' | 'gzip' | undefined;
  if (coding) res.setHeader('Content-Encoding', coding);
  res.status(page.status).end(coding ? compressedPage(page, coding) : page.html);
}

/**
 * Serves the built Angular client from `dir`: its files (hashed assets cached
 * for a year, everything else revalidated on each use; text files compressed
 * when the build left precompressed copies, see sendPrecompressed), and `index.html` for
 * every other GET/HEAD navigation that asks for HTML outside the backend's own
 * paths, so deep links (`/coin/bitcoin`) reach the client's router. With `opts.render` (server-render.ts), a GET
 * of a page the server renders gets that page instead, when rendered in time.
 * Returns undefined when `dir` has no `index.html` (the client is not built).
 */
export function webClient(dir: string, opts: { render?: (req: Request) => Promise<RenderedPage | undefined> } = {}): RequestHandler | undefined {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return undefined;
  const files = express.static(dir, {
    index: 'index.html',
    redirect: false,
    cacheControl: false,
    setHeaders: (res, path) => res.setHeader('Cache-Control', cacheControlOf(path)),
  });
  const fallback = (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !/\btext\/html\b/.test(req.headers.accept ?? '')) {
      next();
      return;
    }
    if (opts.render) {
      // Which page a navigation gets depends on the language it asks for (only English pages are rendered).
      res.vary('Accept-Language');
      res.vary('Cookie');
    }
    if (opts.render && req.method === 'GET' && rendersInEnglish(req)) {
      opts
        .render(req)
        .then((page) => (page ? sendRendered(req, res, page) : sendIndex(req, res, next)))
        .catch(next);
      return;
    }
    sendIndex(req, res, next);
  };
  const sendIndex = (req: Request, res: Response, next: NextFunction): void => {
    // Read per request, not cached: a rebuilt client replaces index.html and its hashed chunks together.
    sendPrecompressed(req, res, dir, index, () =>
      res.sendFile(index, { headers: { 'Cache-Control': REVALIDATE } }, (err) => {
        if (err && !res.headersSent) next(err);
      }),
    ).catch(next);
  };
  return function serveWebClient(req: Request, res: Response, next: NextFunction): void {
    if (BACKEND_PATHS.test(req.path)) {
      next();
      return;
    }
    const identity = (): void => void files(req, res, () => fallback(req, res, next));
    const file = req.method === 'GET' || req.method === 'HEAD' ? fileOf(dir, req.path) : undefined;
    if (file) sendPrecompressed(req, res, dir, file, identity).catch(next);
    else identity();
  };
}
