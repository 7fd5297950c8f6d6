import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a browser request's `Origin` is one we serve: the page is on the
 * API's own origin (the Origin's host is the Host the request was sent to,
 * which a page on another site cannot choose) or on the CORS allow-list
 * (CORS_ORIGINS, by default APP_URL's origin). `null` (sandboxed frames,
 * file:, some redirects) is never allowed.
 */
export function isAllowedOrigin(origin: string, headers: IncomingHttpHeaders, allowList: ReadonlySet<string>): boolean {
  if (allowList.has(origin)) return true;
  if (origin === 'null') return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const requested = headers.host;
  return typeof requested === 'string' && requested.toLowerCase() === host.toLowerCase();
}

export type BrowserOrigin = 'same' | 'foreign' | 'unknown';

/**
 * Where a browser says a request comes from: `Origin` when sent (every
 * browser sends it on POST/PUT/PATCH/DELETE and on WebSocket handshakes),
 * else `Sec-Fetch-Site` (`cross-site` and `same-site`, a sibling subdomain,
 * are foreign; `same-origin` and `none`, typed by the user, are not).
 * `unknown`: neither header, i.e. not a browser (curl, a server, an app).
 */
export function browserOrigin(headers: IncomingHttpHeaders, allowList: ReadonlySet<string>): BrowserOrigin {
  const origin = headers.origin;
  if (typeof origin === 'string') return isAllowedOrigin(origin, headers, allowList) ? 'same' : 'foreign';
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return 'foreign';
  if (site === 'same-origin' || site === 'none') return 'same';
  return 'unknown';
}
