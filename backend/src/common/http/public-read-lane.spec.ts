import { Controller, Get, UseInterceptors } from '@nestjs/common';
import type { NestInterceptor } from '@nestjs/common';
import { Authenticated } from '../auth/auth-user';
import type { RateLimitGuard } from '../guards/rate-limit.guard';
import { cachedJson } from './cached-json';
import { publicReadLane } from './public-read-lane';

class Passthrough implements NestInterceptor {
  intercept(_context: never, next: { handle(): unknown }): never {
    return next.handle() as never;
  }
}

@Controller('things')
class Things {
  @Get()
  list(): void {}
  @Get('mine')
  @Authenticated()
  mine(): void {}
  @Get('wrapped')
  @UseInterceptors(Passthrough)
  wrapped(): void {}
}

describe('publicReadLane', () => {
  const json = cachedJson({ things: [1, 2] });

  it('answers with the cached body and its ETag when the rate limit admits the request, else hands it to Nest', () => {
    let admit = true;
    const limits = { admitPublicRead: jest.fn(() => admit) } as unknown as RateLimitGuard;
    const lane = publicReadLane({ controller: Things, method: 'list', cached: () => json }, limits);
    const res = { headers: {} as Record<string, unknown>, body: undefined as unknown };
    const response = { setHeader: (k: string, v: unknown) => (res.headers[k.toLowerCase()] = v), send: (b: unknown) => (res.body = b) };
    const next = jest.fn();
    lane({} as never, response as never, next);
    expect(next).not.toHaveBeenCalled();
    expect(res.body).toBe(json.body);
    expect(res.headers.etag).toBe(json.etag);
    expect(limits.admitPublicRead).toHaveBeenCalledWith(Things, Things.prototype.list, {});
    admit = false;
    lane({} as never, response as never, next);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('hands the request to Nest without counting it when the body is not at hand', () => {
    const limits = { admitPublicRead: jest.fn(() => true) } as unknown as RateLimitGuard;
    const lane = publicReadLane({ controller: Things, method: 'list', cached: () => undefined }, limits);
    const next = jest.fn();
    lane({} as never, {} as never, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(limits.admitPublicRead).not.toHaveBeenCalled();
  });

  it('refuses, when it is built, a route that authenticates or has interceptors of its own', () => {
    const limits = {} as RateLimitGuard;
    expect(() => publicReadLane({ controller: Things, method: 'mine', cached: () => json }, limits)).toThrow(/cv:auth-requirement/);
    expect(() => publicReadLane({ controller: Things, method: 'wrapped', cached: () => json }, limits)).toThrow(/__interceptors__/);
    expect(() => publicReadLane({ controller: Things, method: 'missing', cached: () => json }, limits)).toThrow(/no method missing/);
  });
});
