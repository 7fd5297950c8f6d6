import type { ExecutionContext } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import type { AppConfig } from '../config/config.service';
import { MetricsAccessGuard } from './metrics-access.guard';

const TOKEN = 'metrics-token-0123456789abcdef';

function guard(values: { metricsToken?: string; trustProxy?: string }): MetricsAccessGuard {
  return new MetricsAccessGuard({ values: { metricsToken: values.metricsToken, trustProxy: values.trustProxy } } as unknown as AppConfig);
}

function call(g: MetricsAccessGuard, req: { ip?: string; headers?: Record<string, string> }): boolean | string {
  const context = { switchToHttp: () => ({ getRequest: () => ({ headers: {}, ...req }) }) } as unknown as ExecutionContext;
  try {
    return g.canActivate(context);
  } catch (e) {
    return `${(e as AppError).status} ${(e as AppError).code}`;
  }
}

describe('MetricsAccessGuard', () => {
  it('with a token: lets only that bearer token through, from anywhere', () => {
    const g = guard({ metricsToken: TOKEN });
    expect(call(g, { ip: '203.0.113.7', headers: { authorization: `Bearer ${TOKEN}` } })).toBe(true);
    expect(call(g, { ip: '127.0.0.1' })).toBe('401 UNAUTHENTICATED');
    expect(call(g, { ip: '127.0.0.1', headers: { authorization: `Bearer ${TOKEN}x` } })).toBe('401 UNAUTHENTICATED');
    expect(call(g, { ip: '127.0.0.1', headers: { authorization: TOKEN } })).toBe('401 UNAUTHENTICATED');
  });

  it('without a token: serves loopback callers only', () => {
    const g = guard({});
    expect(call(g, { ip: '127.0.0.1' })).toBe(true);
    expect(call(g, { ip: '::1' })).toBe(true);
    expect(call(g, { ip: '::ffff:127.0.0.1' })).toBe(true);
    expect(call(g, { ip: '10.0.0.5' })).toBe('403 FORBIDDEN');
    expect(call(g, { ip: '::ffff:192.168.1.20' })).toBe('403 FORBIDDEN');
  });

  it('without a token: a forwarded request is outside unless a trusted proxy resolved the client', () => {
    expect(call(guard({}), { ip: '127.0.0.1', headers: { 'x-forwarded-for': '127.0.0.1' } })).toBe('403 FORBIDDEN');
    expect(call(guard({ trustProxy: 'loopback' }), { ip: '127.0.0.1', headers: { 'x-forwarded-for': '127.0.0.1' } })).toBe(true);
    expect(call(guard({ trustProxy: 'loopback' }), { ip: '203.0.113.7', headers: { 'x-forwarded-for': '203.0.113.7' } })).toBe('403 FORBIDDEN');
  });
});
