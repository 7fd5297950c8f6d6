import { approximateNetwork } from './network';

describe('approximate networks', () => {
  it('cuts an IPv4 address to its /24, also when written as an IPv4-mapped IPv6 address', () => {
    expect(approximateNetwork('203.0.113.57')).toBe('203.0.113.0/24');
    expect(approximateNetwork('::ffff:203.0.113.9')).toBe('203.0.113.0/24');
  });

  it('cuts an IPv6 address to its /48, however it is abbreviated', () => {
    expect(approximateNetwork('2001:db8:1:2::7')).toBe('2001:db8:1::/48');
    expect(approximateNetwork('2001:0db8:0001:ffff:0:0:0:1')).toBe('2001:db8:1::/48');
    expect(approximateNetwork('2001:db8::1')).toBe('2001:db8::/48');
    expect(approximateNetwork('::1')).toBe('::/48');
  });

  it('gives nothing for a missing or malformed address', () => {
    expect(approximateNetwork(undefined)).toBeUndefined();
    expect(approximateNetwork('')).toBeUndefined();
    expect(approximateNetwork('not an ip')).toBeUndefined();
    expect(approximateNetwork('300.1.1.1')).toBeUndefined();
  });
});
