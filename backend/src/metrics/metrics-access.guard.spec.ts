import type { ExecutionContext } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/config.service';
import { MetricsAccessGuard } from './metrics-access.guard';

const TOKEN = 'metrics-token-0123456789abcdef';

function guard(values: { metricsToken?: string; trustProxy?: string }): MetricsAccessGuard {
  return new MetricsAccessGuard({ values: { metricsToken: values.metricsToken, trustProxy: values.trustProxy } } as unknown as AppConfig);
}

/** A request as Express hands it over: `socket` is the peer, `ip` what TRUST_PROXY made of X-Forwarded-For. */
function call(g: MetricsAccessGuard, req: { socket: string; ip?: string; headers?: Record<string, string> }): boolean | string {
  const { socket, ...rest } = req;
  const fake = { headers: {}, ip: socket, ...rest, socket: { remoteAddress: socket } };
  const context = { switchToHttp: () => ({ getRequest: () => fake }) } as unknown as ExecutionContext;
  try {
    return g.canActivate(context);
  } catch (e) {
    return `${(e as AppError).status} ${(e as AppError).code}`;
  }
}

describe('MetricsAccessGuard', () => {
  it('with a token: lets only that bearer token through, from anywhere', () => {
    const g = guard({ metricsToken: TOKEN });
    expect(call(g, { socket: '203.0.113.7', headers: { authorization: `Bearer ${TOKEN}` } })).toBe(true);
    expect(call(g, { socket: '127.0.0.1' })).toBe('401 UNAUTHENTICATED');
    expect(call(g, { socket: '127.0.0.1', headers: { authorization: `Bearer ${TOKEN}x` } })).toBe('401 UNAUTHENTICATED');
    expect(call(g, { socket: '127.0.0.1', headers: { authorization: TOKEN } })).toBe('401 UNAUTHENTICATED');
  });

  it('without a token: serves loopback callers only', () => {
    const g = guard({});
    expect(call(g, { socket: '127.0.0.1' })).toBe(true);
    expect(call(g, { socket: '::1' })).toBe(true);
    expect(call(g, { socket: '::ffff:127.0.0.1' })).toBe(true);
    expect(call(g, { socket: '10.0.0.5' })).toBe('403 FORBIDDEN');
    expect(call(g, { socket: '::ffff:192.168.1.20' })).toBe('403 FORBIDDEN');
  });

  it('without a token: decides by the socket alone, whatever X-Forwarded-For and TRUST_PROXY make of req.ip', () => {
    // The attack: TRUST_PROXY set, an outside caller sends X-Forwarded-For: 127.0.0.1 and req.ip believes it.
    for (const trustProxy of [undefined, 'true', 'loopback']) {
      expect(call(guard({ trustProxy }), { socket: '203.0.113.7', ip: '127.0.0.1', headers: { 'x-forwarded-for': '127.0.0.1' } })).toBe('403 FORBIDDEN');
      expect(call(guard({ trustProxy }), { socket: '::ffff:203.0.113.7', ip: '::1', headers: { forwarded: 'for=127.0.0.1' } })).toBe('403 FORBIDDEN');
    }
  });

  it('without a token: a request relayed by a proxy on loopback is not internal', () => {
    expect(call(guard({}), { socket: '127.0.0.1', headers: { 'x-forwarded-for': '127.0.0.1' } })).toBe('403 FORBIDDEN');
    expect(call(guard({ trustProxy: 'loopback' }), { socket: '127.0.0.1', ip: '127.0.0.1', headers: { 'x-forwarded-for': '127.0.0.1' } })).toBe(
      '403 FORBIDDEN',
    );
    expect(call(guard({ trustProxy: 'loopback' }), { socket: '127.0.0.1', ip: '203.0.113.7', headers: { 'x-forwarded-for': '203.0.113.7' } })).toBe(
      '403 FORBIDDEN',
    );
    expect(call(guard({ trustProxy: 'loopback' }), { socket: '127.0.0.1', headers: { 'x-real-ip': '203.0.113.7' } })).toBe('403 FORBIDDEN');
    expect(call(guard({ trustProxy: 'loopback' }), { socket: '127.0.0.1' })).toBe(true);
  });
});
