import { isIPv4, isIPv6 } from 'node:net';

/** The 8 16-bit groups of an IPv6 address (`::` expanded, an embedded IPv4 tail converted); undefined if it is not one. */
function ipv6Groups(ip: string): number[] | undefined {
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
