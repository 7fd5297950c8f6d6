import { Controller, Get, Post } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { MemoryKeyValueStore } from '../../redis/memory-twins';
import type { KeyValueStore } from '../../redis/redis.interfaces';
import { AppError } from '../errors/app-error';
import { RateLimitGuard, rateLimitThrottlers } from './rate-limit.guard';
import { RateLimitStorage } from './rate-limit.storage';

@Controller()
class Routes {
  @Get('quotes')
  quotes(): void {}
  @Get('balance')
  balance(): void {}
  @Post('forgot-password')
  @Throttle({ emailAction: {} })
  forgot(): void {}
  @Post('resend-verification')
  @Throttle({ emailAction: {} })
  resend(): void {}
  @Get('health')
  @SkipThrottle()
  health(): void {}
}

type Req = { ip: string; body?: unknown; user?: { id: string } };

async function guardWith(store: KeyValueStore, scale = 1): Promise<RateLimitGuard> {
  const guard = new RateLimitGuard({ throttlers: rateLimitThrottlers(scale), setHeaders: false }, new RateLimitStorage(store), new Reflector());
  await guard.onModuleInit();
  return guard;
}

function call(guard: RateLimitGuard, route: keyof Routes, req: Req): Promise<boolean> {
  const ctx = new ExecutionContextHost([{ headers: {}, ...req }, {}, () => undefined], Routes, Routes.prototype[route]);
  ctx.setType('http');
  return guard.canActivate(ctx);
}

/** How many calls pass before the first 429 (and that 429), up to `max`. */
async function passes(guard: RateLimitGuard, route: keyof Routes, req: Req, max: number): Promise<{ passed: number; refusal?: AppError }> {
  for (let i = 0; i < max; i++) {
    try {
      await call(guard, route, req);
    } catch (e) {
      return { passed: i, refusal: e as AppError };
    }
  }
  return { passed: max };
}

describe("RateLimitGuard (@nestjs/throttler with this app's policies)", () => {
  it('gives a route named by @Throttle({ emailAction: {} }) its limit, 20 a minute per IP (sized for NAT), then 429 RATE_LIMITED with Retry-After', async () => {
    const guard = await guardWith(new MemoryKeyValueStore());
    const { passed, refusal } = await passes(guard, 'forgot', { ip: '203.0.113.1' }, 30);
    expect(passed).toBe(20);
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(refusal?.headers?.['Retry-After'])).toBeGreaterThanOrEqual(59);
    // Another address has its own count.
    await expect(call(guard, 'forgot', { ip: '203.0.113.2' })).resolves.toBe(true);
  });

  it("shares a throttler's count across its routes and also counts per account e-mail (2 a minute), whatever the address", async () => {
    const guard = await guardWith(new MemoryKeyValueStore());
    await call(guard, 'forgot', { ip: '198.51.100.1', body: { email: 'Ann@Example.com' } });
    await call(guard, 'resend', { ip: '198.51.100.2', body: { email: ' ann@example.com' } });
    await expect(call(guard, 'forgot', { ip: '198.51.100.9', body: { email: 'ann@example.com' } })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // Others behind the same address are not refused for it.
    await expect(call(guard, 'forgot', { ip: '198.51.100.9', body: { email: 'bob@example.com' } })).resolves.toBe(true);
  });

  it('counts every other route in the default limit, 60 a minute per user across routes, and skips @SkipThrottle routes', async () => {
    const guard = await guardWith(new MemoryKeyValueStore());
    const user = { ip: '192.0.2.1', user: { id: 'u1' } };
    expect((await passes(guard, 'quotes', user, 30)).passed).toBe(30);
    const { passed, refusal } = await passes(guard, 'balance', user, 40);
    expect(passed).toBe(30);
    expect(refusal).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    // The same address signed out is another caller; the emailAction limit is another count.
    await expect(call(guard, 'quotes', { ip: '192.0.2.1' })).resolves.toBe(true);
    await expect(call(guard, 'forgot', user)).resolves.toBe(true);
    expect((await passes(guard, 'health', user, 100)).passed).toBe(100);
  });

  it("counts the public-read lane's requests as canActivate would, once each: those it passes on to Nest are judged on its count (admitPublicRead)", async () => {
    const guard = await guardWith(new MemoryKeyValueStore());
    const handler = Routes.prototype.quotes;
    let answeredByLane = 0;
    let admittedByNest = 0;
    let refused = 0;
    for (let i = 0; i < 70; i++) {
      const req = { headers: {}, ip: '192.0.2.50' };
      if (guard.admitPublicRead(Routes, handler, req as never)) {
        answeredByLane++;
        continue;
      }
      // What Nest's route then does with it: the guard's pass, on the lane's count.
      const ctx = new ExecutionContextHost([req, {}, () => undefined], Routes, handler);
      ctx.setType('http');
      try {
        await guard.canActivate(ctx);
        admittedByNest++;
      } catch (e) {
        expect(e).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
        refused++;
      }
    }
    expect(answeredByLane).toBeGreaterThan(0);
    expect(answeredByLane + admittedByNest).toBe(60);
    expect(refused).toBe(10);
    // A route exempt from rate limits is answered without a count.
    expect(guard.admitPublicRead(Routes, Routes.prototype.health, { headers: {}, ip: '192.0.2.50' } as never)).toBe(true);
  });

  it('applies RATE_LIMIT_SCALE to every limit', async () => {
    const guard = await guardWith(new MemoryKeyValueStore(), 2);
    expect((await passes(guard, 'forgot', { ip: '203.0.113.7' }, 50)).passed).toBe(40);
    expect((await passes(guard, 'forgot', { ip: '203.0.113.6', body: { email: 'cy@example.com' } }, 10)).passed).toBe(4);
  });

  it('keeps limiting in this process while the shared store is down', async () => {
    const down: KeyValueStore = Object.assign(new MemoryKeyValueStore(), {
      increment: () => Promise.reject(new Error('connection refused')),
    });
    const guard = await guardWith(down);
    expect((await passes(guard, 'forgot', { ip: '203.0.113.8' }, 30)).passed).toBe(20);
    expect((await passes(guard, 'quotes', { ip: '203.0.113.8' }, 70)).passed).toBe(60);
  });
});
