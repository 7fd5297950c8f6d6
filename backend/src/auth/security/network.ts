import { isIPv4, isIPv6 } from 'node:net';
import { ipv6Groups } from '../../common/http/client-ip';

/**
 * The approximate network an address belongs to, as a sign-in notice and the
 * activity page show it and as "a new network" is decided: the IPv4 /24
 * ("203.0.113.0/24") or the IPv6 /48 ("2001:db8:1::/48"). An IPv4-mapped IPv6
 * address counts as its IPv4 address. Undefined when there is no usable address.
 */
export function approximateNetwork(ip: string | null | undefined): string | undefined {
  if (!ip) return undefined;
  const address = ip
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const v4 = mapped ? mapped[1] : address;
  if (isIPv4(v4)) {
    const [a, b, c] = v4.split('.');
    return `${a}.${b}.${c}.0/24`;
  }
  if (!isIPv6(address)) return undefined;
  const groups = ipv6Groups(address);
  if (!groups) return undefined;
  const prefix = groups.slice(0, 3).map((g) => g.toString(16));
  while (prefix.length && prefix[prefix.length - 1] === '0') prefix.pop();
  return `${prefix.join(':')}::/48`;
}
