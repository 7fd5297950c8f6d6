import type { IncomingMessage } from 'node:http';
import { RENDER_FOR_HEADER, RENDER_TOKEN, RENDER_TOKEN_HEADER, budgetSubject, clientIp, compileTrustProxy, isLoopback, socketAddress } from './client-ip';

const req = (peer: string, xff?: string): IncomingMessage =>
  ({
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
  }) as unknown as IncomingMessage;

describe('clientIp', () => {
  it("counts a server render's API call as the visitor's only with this process's token, over loopback", () => {
    const render = (peer: string, token: string, visitor: string): IncomingMessage =>
      ({ socket: { remoteAddress: peer }, headers: { [RENDER_TOKEN_HEADER]: token, [RENDER_FOR_HEADER]: visitor } }) as unknown as IncomingMessage;
    const none = compileTrustProxy(undefined);
    expect(clientIp(render('127.0.0.1', RENDER_TOKEN, '198.51.100.7'), none)).toBe('198.51.100.7');
    expect(clientIp(render('::ffff:127.0.0.1', RENDER_TOKEN, '2001:db8::1'), none)).toBe('2001:db8::1');
    // A guessed token, a token from off the machine, or no address: the socket's peer, as for any request.
    expect(clientIp(render('127.0.0.1', 'f'.repeat(64), '198.51.100.7'), none)).toBe('127.0.0.1');
    expect(clientIp(render('127.0.0.1', RENDER_TOKEN.slice(1), '198.51.100.7'), none)).toBe('127.0.0.1');
    expect(clientIp(render('203.0.113.5', RENDER_TOKEN, '198.51.100.7'), none)).toBe('203.0.113.5');
    expect(clientIp(render('127.0.0.1', RENDER_TOKEN, 'everyone'), none)).toBe('127.0.0.1');
    // Behind a trusted proxy, the headers change nothing, even with the right token: the address is X-Forwarded-For's.
    for (const token of ['x', RENDER_TOKEN]) {
      const forwarded = {
        socket: { remoteAddress: '127.0.0.1' },
        headers: { [RENDER_TOKEN_HEADER]: token, [RENDER_FOR_HEADER]: '10.1.1.1', 'x-forwarded-for': '198.51.100.7' },
      };
      expect(clientIp(forwarded as unknown as IncomingMessage, compileTrustProxy('loopback'))).toBe('198.51.100.7');
    }
  });

  it('without TRUST_PROXY is the socket peer, whatever X-Forwarded-For says', () => {
    for (const setting of [undefined, '', 'false', '0']) {
      expect(clientIp(req('203.0.113.5', '127.0.0.1'), compileTrustProxy(setting))).toBe('203.0.113.5');
    }
  });

  it('behind trusted proxies is the nearest untrusted hop from the right, never the client-written leftmost one', () => {
    const loopback = compileTrustProxy('loopback');
    expect(clientIp(req('127.0.0.1', '10.9.9.9, 198.51.100.7'), loopback)).toBe('198.51.100.7');
    expect(clientIp(req('127.0.0.1', '198.51.100.7'), loopback)).toBe('198.51.100.7');
    // The peer is not a trusted proxy: its X-Forwarded-For is the client's own writing.
    expect(clientIp(req('203.0.113.5', '127.0.0.1'), loopback)).toBe('203.0.113.5');
    const ranges = compileTrustProxy('loopback, 10.0.0.0/8');
    expect(clientIp(req('10.0.0.2', '1.2.3.4, 198.51.100.7, 10.0.0.3'), ranges)).toBe('198.51.100.7');
  });

  it('takes a hop count and true as Express does', () => {
    expect(clientIp(req('10.0.0.2', '1.1.1.1, 2.2.2.2, 3.3.3.3'), compileTrustProxy('1'))).toBe('3.3.3.3');
    expect(clientIp(req('10.0.0.2', '1.1.1.1, 2.2.2.2, 3.3.3.3'), compileTrustProxy('2'))).toBe('2.2.2.2');
    expect(clientIp(req('10.0.0.2', '1.1.1.1, 2.2.2.2'), compileTrustProxy('true'))).toBe('1.1.1.1');
  });

  it('compiles once per setting and refuses an address it cannot parse', () => {
    expect(compileTrustProxy('loopback')).toBe(compileTrustProxy('loopback'));
    expect(() => compileTrustProxy('not-an-address')).toThrow();
  });

  it('socketAddress and isLoopback read the socket alone', () => {
    expect(socketAddress(req('203.0.113.5', '127.0.0.1'))).toBe('203.0.113.5');
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '', undefined].some(isLoopback)).toBe(false);
  });

  it('counts a per-address budget per IPv4 address and per IPv6 /64, so one subscriber cannot rotate through its /64', () => {
    expect(budgetSubject('203.0.113.7')).toBe('203.0.113.7');
    expect(budgetSubject('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(budgetSubject('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(budgetSubject('2001:db8:1:2:ffff:ffff:ffff:fffe')).toBe('2001:db8:1:2::/64');
    expect(budgetSubject('[2001:db8:1:3::9]')).toBe('2001:db8:1:3::/64');
  });
});
