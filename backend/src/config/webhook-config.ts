import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from '../auth/api-keys/webhooks/webhook-targets';

/** Outgoing webhooks (auth/api-keys/webhooks; API.md "Webhooks"). */
export interface WebhookConfigValues {
  /**
   * WEBHOOK_SECRET_KEY: the 32-byte AES-256-GCM key the endpoints' signing secrets are stored encrypted under (we must
   * be able to read a secret back to sign with it). Required in production; unset elsewhere: derived from the JWT
   * secret (WebhookSecretBox), which development keeps in DATA_DIR and a test suite shares between its instances.
   */
  secretKey: Buffer | undefined;
  /**
   * WEBHOOK_ALLOW_PRIVATE_TARGETS: tests and development only (refused in production): endpoints may be on loopback,
   * private and link-local addresses, so a suite's receiver on 127.0.0.1 gets its events.
   */
  allowPrivateTargets: boolean;
  /**
   * WEBHOOK_DNS_SERVERS: the nameservers webhook hosts are resolved through when private targets are not allowed
   * (production), as `Resolver.setServers` takes them: IP addresses, each with an optional port (`9.9.9.9`,
   * `9.9.9.9:53`, `2620:fe::fe`, `[2620:fe::fe]:53`). Empty (unset): the machine's (/etc/resolv.conf). For an operator
   * whose machine's resolver also answers internal names, or who wants the lookups of customers' hosts kept off it.
   */
  dnsServers: string[];
  /** WEBHOOK_RETRY_BASE_MS: the wait after a first failed attempt; each further one doubles it (with jitter). */
  retryBaseMs: number;
  /** WEBHOOK_WORKER_INTERVAL_MS: how often every instance looks for deliveries that are due. */
  workerIntervalMs: number;
  /** WEBHOOK_PRUNE_INTERVAL_MS: how often every instance deletes events past their retention (the first time soon after boot). */
  pruneIntervalMs: number;
  /** WEBHOOK_REDELIVERY_COOLDOWN_MS: a redelivery of an event is refused (429) until this long after its last attempt to the endpoint. */
  redeliveryCooldownMs: number;
}

/** The key as 64 hex digits, or base64 / base64url of exactly 32 bytes. */
function parseKey(raw: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(raw)) return undefined;
  const bytes = Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/** One nameserver as `Resolver.setServers` takes it (an IP address, an optional port), or undefined. */
function dnsServer(raw: string): string | undefined {
  const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(raw) ?? /^([\d.]+)(?::(\d{1,5}))?$/.exec(raw) ?? /^([^[\]]*:[^[\]]*)()$/.exec(raw);
  if (!m) return undefined;
  const [, address, port] = m;
  // A bracketed address is IPv6 only; an unbracketed one with colons is IPv6 without a port. A zone (`fe80::1%eth0`)
  // would pass Node's parser and be dropped by it, leaving an address that cannot be reached.
  if (address.includes('%') || (raw.startsWith('[') ? isIP(address) !== 6 : isIP(address) === 0)) return undefined;
  // Not a nameserver anywhere: the unspecified address (queries to it land on this machine), multicast, broadcast.
  // Loopback, private and link-local ones are (a local resolver, a VPC's, a cloud's at 169.254.169.253).
  const kind = classifyAddress(address);
  if (kind === 'unspecified' || kind === 'multicast' || address === '255.255.255.255') return undefined;
  if (port !== undefined && port !== '' && !(Number(port) >= 1 && Number(port) <= 65_535)) return undefined;
  return raw;
}

/** Parses the webhook settings; problems are added to the boot's one list (see loadConfig). The key is never echoed. */
export function parseWebhookConfig(
  str: (name: string) => string | undefined,
  int: (name: string, def: number, min: number, max: number) => number,
  bool: (name: string, def: boolean) => boolean,
  production: boolean,
  problems: string[],
): WebhookConfigValues {
  const raw = str('WEBHOOK_SECRET_KEY');
  const secretKey = raw === undefined ? undefined : parseKey(raw);
  if (raw !== undefined && !secretKey) {
    problems.push('WEBHOOK_SECRET_KEY must be 32 random bytes written as 64 hex digits or in base64 (openssl rand -base64 32)');
  }
  const allowPrivateTargets = bool('WEBHOOK_ALLOW_PRIVATE_TARGETS', false);
  const serversRaw = (str('WEBHOOK_DNS_SERVERS') ?? '').trim();
  // An empty entry (a trailing comma) is nothing to refuse.
  const servers = serversRaw
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  // Node's own parser has the last word (the lookup calls it with these at the first webhook).
  const bad = servers.filter((x) => {
    if (dnsServer(x) === undefined) return true;
    try {
      new Resolver().setServers([x]);
      return false;
    } catch {
      return true;
    }
  });
  if (bad.length > 0) {
    problems.push(
      `WEBHOOK_DNS_SERVERS must be IP addresses, each with an optional port (9.9.9.9, 9.9.9.9:53, [2620:fe::fe]:53), separated by commas, and not unspecified, multicast or broadcast ones (not ${bad.map((x) => JSON.stringify(x.length > 60 ? `${x.slice(0, 60)}…` : x)).join(', ')})`,
    );
  }
  if (production) {
    if (raw === undefined) {
      problems.push('WEBHOOK_SECRET_KEY is required in production (openssl rand -base64 32): the webhook signing secrets are stored encrypted under it');
    }
    if (allowPrivateTargets) {
      problems.push('WEBHOOK_ALLOW_PRIVATE_TARGETS is for tests and development only: refused in production, where webhooks never reach private addresses');
    }
  }
  return {
    secretKey,
    allowPrivateTargets,
    dnsServers: bad.length > 0 ? [] : servers,
    retryBaseMs: int('WEBHOOK_RETRY_BASE_MS', 60_000, 10, 3_600_000),
    workerIntervalMs: int('WEBHOOK_WORKER_INTERVAL_MS', 2_000, 50, 60_000),
    pruneIntervalMs: int('WEBHOOK_PRUNE_INTERVAL_MS', 3_600_000, 100, 86_400_000),
    redeliveryCooldownMs: int('WEBHOOK_REDELIVERY_COOLDOWN_MS', 30_000, 0, 3_600_000),
  };
}
