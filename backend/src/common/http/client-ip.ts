import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';

/**
 * A server render's API calls (common/middleware/server-render.ts) come from this process over loopback, on behalf
 * of the visitor whose page it renders: they carry this process's render token and the visitor's address, and
 * count as the visitor's (rate limits, logs). The token is made at start and never leaves the process (loopback).
 */
export const RENDER_TOKEN = randomBytes(32).toString('hex');
export const RENDER_TOKEN_HEADER = 'x-cv-render';
export const RENDER_FOR_HEADER = 'x-cv-render-for';
const RENDER_TOKEN_BYTES = Buffer.from(RENDER_TOKEN);

/** The visitor a server render's API call is made for, when it is one (loopback, this process's token); else undefined. */
function renderedFor(req: IncomingMessage): string | undefined {
  const token = req.headers[RENDER_TOKEN_HEADER];
  // A render's call comes straight from this process: never through a proxy, which would add X-Forwarded-For.
  if (typeof token !== 'string' || !isLoopback(req.socket?.remoteAddress) || req.headers['x-forwarded-for'] !== undefined) return undefined;
  const given = Buffer.from(token);
  if (given.length !== RENDER_TOKEN_BYTES.length || !timingSafeEqual(given, RENDER_TOKEN_BYTES)) return undefined;
  const visitor = req.headers[RENDER_FOR_HEADER];
  return typeof visitor === 'string' && isIP(visitor) ? visitor : undefined;
}

/** Express' `trust proxy` function: whether the hop at `addr` (0 = the socket's peer) is a proxy we trust. */
export type TrustProxyFn = (addr: string, hop: number) => boolean;

/** The TRUST_PROXY setting, compiled. `none`: no proxy is trusted, the client is the socket's peer. */
export interface TrustProxy {
  readonly fn: TrustProxyFn;
  readonly none: boolean;
}

const compiled = new Map<string, TrustProxy>();

/**
 * Compiles TRUST_PROXY exactly as Express compiles its `trust proxy` setting
 * (both end up with this one function: app.factory hands it to Express):
 * unset or `false` → nobody; `true` → every hop (refused in production);
 * a whole number n → the n nearest hops; otherwise a comma-separated list of
 * addresses, CIDR ranges or the names `loopback`, `linklocal`, `uniquelocal`
 * (proxy-addr's). Throws on an address it cannot parse. Compiled once per setting.
 */
export function compileTrustProxy(setting: string | undefined): TrustProxy {
  const key = (setting ?? '').trim();
  let hit = compiled.get(key);
  if (hit) return hit;
  if (key === '' || key === 'false') hit = { fn: () => false, none: true };
  else if (key === 'true') hit = { fn: () => true, none: false };
  else if (/^\d+$/.test(key)) {
    const hops = Number(key);
    hit = { fn: (_addr, hop) => hop < hops, none: hops === 0 };
  } else {
    const list = key
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    hit = { fn: proxyaddr.compile(list), none: false };
  }
  compiled.set(key, hit);
  return hit;
}

/**
 * The client's address, by the one rule every part of the app uses (HTTP's
 * request context and rate limits, both WebSocket gateways): the socket's peer,
 * or, when that peer is a trusted proxy, the nearest X-Forwarded-For entry that
 * is not a trusted proxy (walking from the right: the entries on the left are
 * whatever the client wrote). The same answer as Express' `req.ip`; for a server render's API call, the visitor
 * it renders for (see RENDER_TOKEN).
 */
export function clientIp(req: IncomingMessage, trust: TrustProxy): string {
  const direct = req.socket?.remoteAddress ?? 'unknown';
  const visitor = req.headers[RENDER_TOKEN_HEADER] === undefined ? undefined : renderedFor(req);
  if (visitor) return visitor;
  if (trust.none || req.headers['x-forwarded-for'] === undefined) return direct;
  return proxyaddr(req as Parameters<typeof proxyaddr>[0], trust.fn) || direct;
}

/** The socket's peer alone, ignoring every forwarding header (for decisions such as "is this loopback"). */
export function socketAddress(req: IncomingMessage): string {
  return req.socket?.remoteAddress ?? 'unknown';
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function isLoopback(address: string | undefined): boolean {
  return LOOPBACK.test(address ?? '');
}

/** The 8 16-bit groups of an IPv6 address (`::` expanded, an embedded IPv4 tail converted); undefined if it is not one. */
export function ipv6Groups(ip: string): number[] | undefined {
  let text = ip;
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const [a, b, c, d] = v4Tail[1].split('.').map(Number);
    text = `${text.slice(0, -v4Tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined): number[] => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const groups = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * Who a per-address budget counts: an IPv4 address itself (an IPv4-mapped IPv6 address as its IPv4 address), an
 * IPv6 address by its /64 (one subscriber usually holds a whole /64, so counting single addresses would hand an
 * attacker 2^64 budgets).
 */
export function budgetSubject(ip: string): string {
  const address = ip
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address;
  const groups = ipv6Groups(address);
  return groups
    ? `${groups
        .slice(0, 4)
        .map((g) => g.toString(16))
        .join(':')}::/64`
    : address;
}
