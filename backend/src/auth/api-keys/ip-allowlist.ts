import { BlockList, isIP } from 'node:net';

/** At most this many entries on one key's allowlist. */
export const MAX_ALLOWLIST_ENTRIES = 20;

/**
 * One allowlist entry, written canonically: an IPv4 or IPv6 address (a /32 or /128) or a CIDR block
 * (`203.0.113.0/24`, `2001:db8::/32`); undefined when it is neither.
 */
export function parseCidr(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6'; text: string } | undefined {
  const [address, prefixText, extra] = entry.trim().split('/');
  if (extra !== undefined || !address) return undefined;
  const version = isIP(address);
  if (version === 0 || address.includes('%')) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  return { address: address.toLowerCase(), prefix, family, text: `${address.toLowerCase()}/${prefix}` };
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) → `192.0.2.1`. */
function unmapped(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return m ? m[1] : ip;
}

/** Whether the client address falls in one of the allowlist's blocks (an empty list allows every address). */
export function ipAllowed(allowlist: readonly string[], clientIp: string | undefined): boolean {
  if (allowlist.length === 0) return true;
  if (!clientIp) return false;
  const ip = unmapped(clientIp);
  const version = isIP(ip);
  if (version === 0) return false;
  const list = new BlockList();
  for (const entry of allowlist) {
    const cidr = parseCidr(entry);
    if (cidr) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return list.check(ip, version === 4 ? 'ipv4' : 'ipv6');
}
