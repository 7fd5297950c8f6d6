import { lookup as dnsLookup, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ipv6Groups } from '../../../common/http/client-ip';
import { MAX_WEBHOOK_URL_LENGTH } from './webhook-events';

/**
 * What an address is, for the webhook sender: only `public` addresses are ever sent to (unless
 * WEBHOOK_ALLOW_PRIVATE_TARGETS, tests and development only). Everything else is a way into our own network or
 * nowhere: loopback, private (RFC 1918, IPv6 unique local and the old site-local), link-local (169.254/16: the cloud
 * metadata service; fe80::/10), CGNAT (100.64/10), multicast, unspecified, and reserved space (documentation,
 * benchmarking, 240/4, broadcast, IPv6 discard, Teredo). An IPv6 address that carries an IPv4 one (IPv4-mapped
 * `::ffff:a.b.c.d`, the deprecated IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) is what that
 * IPv4 address is.
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'cgnat' | 'multicast' | 'unspecified' | 'reserved';

function ipv4Class(a: number, b: number, c: number, d: number): AddressClass {
  if (a === 0) return b === 0 && c === 0 && d === 0 ? 'unspecified' : 'reserved'; // 0/8: "this network"
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 100 && b >= 64 && b <= 127) return 'cgnat';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved'; // 240/4 and 255.255.255.255
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved'; // IETF protocol assignments, TEST-NET-1
  if (a === 198 && (b === 18 || b === 19)) return 'reserved'; // benchmarking
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'reserved'; // TEST-NET-2, -3
  return 'public';
}

function ipv4FromGroups(high: number, low: number): [number, number, number, number] {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

/** The class of an IPv4 or IPv6 address (as `isIP` takes it; brackets and a zone are refused as `reserved`). */
export function classifyAddress(address: string): AddressClass {
  const version = isIP(address);
  if (version === 4) {
    const [a, b, c, d] = address.split('.').map(Number);
    return ipv4Class(a, b, c, d);
  }
  if (version !== 6 || address.includes('%')) return 'reserved';
  const g = ipv6Groups(address.toLowerCase());
  if (!g) return 'reserved';
  const zeroUpTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): what the IPv4 address is; anything else in ::/96 is reserved.
  if (zeroUpTo(5) && g[5] === 0xffff) return ipv4Class(...ipv4FromGroups(g[6], g[7]));
  if (zeroUpTo(6)) {
    const inner = ipv4Class(...ipv4FromGroups(g[6], g[7]));
    return inner === 'public' ? 'reserved' : inner;
  }
  if (zeroUpTo(5)) return 'reserved';
  // NAT64 (64:ff9b::/96) carries an IPv4 address; the local-use prefix 64:ff9b:1::/48 is private.
  if (g[0] === 0x64 && g[1] === 0xff9b) {
    if (g.slice(2, 6).every((x) => x === 0)) return ipv4Class(...ipv4FromGroups(g[6], g[7]));
    if (g[2] === 1) return 'private';
  }
  // 6to4 (2002::/16): the IPv4 address in the next 32 bits.
  if (g[0] === 0x2002) {
    return ipv4Class(...ipv4FromGroups(g[1], g[2]));
  }
  if ((g[0] & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // fec0::/10 site-local (deprecated)
  if ((g[0] & 0xff00) === 0xff00) return 'multicast'; // ff00::/8
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'reserved'; // documentation
  if (g[0] === 0x2001 && g[1] === 0) return 'reserved'; // Teredo: the IPv4 end is hidden, so it cannot be checked
  if (g[0] === 0x0100 && g[1] === 0 && g[2] === 0 && g[3] === 0) return 'reserved'; // discard-only
  return 'public';
}

/**
 * What is wrong with an endpoint URL's form, in words for its owner, or undefined when nothing is: it must be http or
 * https (https only when `httpsOnly`, i.e. in production), at most 2048 characters, without a user name or password
 * (a secret in a URL ends up in logs), with a host.
 */
export function webhookUrlProblem(raw: string, httpsOnly: boolean): string | undefined {
  const tooLong = 'Enter a URL of at most 2048 characters';
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return tooLong;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return httpsOnly ? 'Enter a URL starting with https://' : 'Enter a URL starting with https:// or http://';
  }
  // What is stored (and called) is the normalised href, which percent-encodes: 'é' in a path is 6 characters there.
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) return tooLong;
  if (url.protocol !== 'https:' && (httpsOnly || url.protocol !== 'http:')) {
    return httpsOnly ? 'Enter a URL starting with https://' : 'Enter a URL starting with https:// or http://';
  }
  if (url.username || url.password) return 'Leave the user name and password out of the URL: check the signature instead';
  if (!url.hostname) return 'Enter a URL with a host name';
  return undefined;
}

/** The URL's host as an address or a name to look up (`[::1]` → `::1`). */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

/**
 * The system resolver (getaddrinfo, on libuv's 4-thread pool, with /etc/hosts and `localhost`): only with
 * WEBHOOK_ALLOW_PRIVATE_TARGETS (tests and development). A slow nameserver would hold a pool thread per lookup, and
 * bcrypt, file reads and database connects wait for the same threads.
 */
export const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** What the production lookup needs of a resolver (node:dns/promises' Resolver: c-ares, off the thread pool). */
export type AddressResolver = Pick<Resolver, 'resolve4' | 'resolve6'>;

/** How long one query may take, and how many are tried, in production. */
export const DNS_TIMEOUT_MS = 2_000;
/** Names resolved at once per instance (endpoint creation and the sender together); the rest queue. */
export const MAX_CONCURRENT_RESOLUTIONS = 2;

/** Runs at most `max` calls of `fn` at once; the others wait their turn (first come, first served). */
export function limitConcurrency<A extends unknown[], R>(fn: (...args: A) => Promise<R>, max: number): (...args: A) => Promise<R> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (...args: A): Promise<R> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn(...args);
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/**
 * A lookup through DNS itself (A and AAAA, asked at once), at most `max` names at a time: every address either
 * answers; fails only when neither has one.
 */
export function resolverLookup(resolver: AddressResolver, max = MAX_CONCURRENT_RESOLUTIONS): LookupAll {
  return limitConcurrency(async (hostname: string) => {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
    const addresses = [
      ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 })) : []),
      ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 })) : []),
    ];
    if (addresses.length === 0) throw v4.status === 'rejected' ? v4.reason : new Error(`${hostname} has no address`);
    return addresses;
  }, max);
}

/** The production lookups made so far, by their nameservers (one, in practice: WEBHOOK_DNS_SERVERS is the process's). */
const publicLookups = new Map<string, LookupAll>();

/**
 * The lookup the checks use: in production (private targets not allowed) c-ares with a 2-second timeout and one try,
 * at most MAX_CONCURRENT_RESOLUTIONS at once on this instance, through `servers` (WEBHOOK_DNS_SERVERS; none: the
 * machine's nameservers); with WEBHOOK_ALLOW_PRIVATE_TARGETS the system resolver.
 */
export function targetLookup(allowPrivate: boolean, servers: readonly string[] = []): LookupAll {
  if (allowPrivate) return systemLookup;
  const key = servers.join(',');
  let lookup = publicLookups.get(key);
  if (!lookup) {
    const resolver = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: 1 });
    if (servers.length > 0) resolver.setServers(servers);
    lookup = resolverLookup(resolver);
    publicLookups.set(key, lookup);
  }
  return lookup;
}

/** Why a target was refused: its name did not resolve, or (one of) its addresses is not public. */
export class WebhookTargetError extends Error {
  constructor(
    readonly kind: 'dns_failed' | 'address_not_allowed',
    readonly address?: string,
    readonly addressClass?: AddressClass,
  ) {
    super(kind === 'dns_failed' ? 'the host name does not resolve' : `the host resolves to a ${addressClass} address`);
  }
}

/**
 * Resolves the URL's host to every address it has (A and AAAA: targetLookup) and refuses it
 * unless every one is public (or `allowPrivate`); returns the address to connect to, which the sender then uses
 * without a second lookup (a name that answers a public address to the check and a private one to the connection,
 * DNS rebinding, gets nowhere).
 */
export async function resolveWebhookTarget(
  url: URL,
  allowPrivate: boolean,
  /** targetLookup(allowPrivate, WEBHOOK_DNS_SERVERS), or a test's. */
  lookup: LookupAll,
  timeoutMs = 10_000,
): Promise<{ address: string; family: 4 | 6 }> {
  const host = urlHost(url);
  // `localhost` and its subdomains are loopback (RFC 6761) whatever a nameserver says; DNS is not asked.
  if (!allowPrivate && /(^|\.)localhost\.?$/i.test(host)) throw new WebhookTargetError('address_not_allowed', host, 'loopback');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    let timer: NodeJS.Timeout | undefined;
    try {
      // A lookup that hangs (or waits its turn too long) counts as one that failed.
      addresses = await Promise.race([
        lookup(host),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('lookup timed out')), timeoutMs);
        }),
      ]);
    } catch {
      throw new WebhookTargetError('dns_failed');
    } finally {
      clearTimeout(timer);
    }
  }
  if (addresses.length === 0) throw new WebhookTargetError('dns_failed');
  for (const a of addresses) {
    const kind = classifyAddress(a.address);
    if (kind !== 'public' && !allowPrivate) throw new WebhookTargetError('address_not_allowed', a.address, kind);
  }
  const first = addresses[0];
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
