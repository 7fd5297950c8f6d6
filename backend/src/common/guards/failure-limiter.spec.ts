import { MemoryKeyValueStore } from '../../redis/memory-twins';
import type { KeyValueStore } from '../../redis/redis.interfaces';
import { FAILURE_LIMITS, FailureLimiter } from './failure-limiter';

describe('FailureLimiter', () => {
  const limit = FAILURE_LIMITS.ipnSignature.limit;

  it('lets `limit` failures pass, refuses the next ones until the window ends, and flags the first refusal once', async () => {
    const limiter = new FailureLimiter(new MemoryKeyValueStore());
    const verdicts = [];
    for (let i = 0; i < limit + 3; i++) verdicts.push(await limiter.count('ipnSignature', '203.0.113.7'));
    expect(verdicts.map((v) => v.over)).toEqual([...Array<boolean>(limit).fill(false), true, true, true]);
    expect(verdicts.filter((v) => v.first)).toHaveLength(1);
    expect(verdicts[limit].first).toBe(true);
    expect(verdicts[limit].retryMs).toBeGreaterThan(0);
    expect(verdicts[limit].retryMs).toBeLessThanOrEqual(FAILURE_LIMITS.ipnSignature.windowMs);
    // Another address has its own count.
    expect((await limiter.count('ipnSignature', '198.51.100.1')).over).toBe(false);
  });

  it('keeps counting in the process while the shared store does not answer', async () => {
    const down = { increment: () => Promise.reject(new Error('connect ECONNREFUSED')) } as unknown as KeyValueStore;
    const limiter = new FailureLimiter(down);
    let last;
    for (let i = 0; i <= limit; i++) last = await limiter.count('ipnSignature', '203.0.113.7');
    expect(last).toMatchObject({ over: true, first: true });
  });

  it('refuses an address only once it has used up a budget, with the rest of the window, and scales it by RATE_LIMIT_SCALE', async () => {
    const limiter = new FailureLimiter(new MemoryKeyValueStore(), 2);
    const limit = FAILURE_LIMITS.credentials.limit * 2;
    // Checking counts nothing.
    for (let i = 0; i < limit + 5; i++) await limiter.refuseIfOver('credentials', '203.0.113.9');
    for (let i = 0; i < limit - 1; i++) await limiter.count('credentials', '203.0.113.9');
    await expect(limiter.refuseIfOver('credentials', '203.0.113.9')).resolves.toBeUndefined();
    await limiter.count('credentials', '203.0.113.9');
    const refusal = await limiter.refuseIfOver('credentials', '203.0.113.9').catch((e: unknown) => e);
    expect(refusal).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const retry = Number((refusal as { headers: Record<string, string> }).headers['Retry-After']);
    expect(retry).toBeGreaterThan(FAILURE_LIMITS.credentials.windowMs / 1000 - 60);
    expect(retry).toBeLessThanOrEqual(FAILURE_LIMITS.credentials.windowMs / 1000);
    // Budgets and addresses are counted apart.
    await expect(limiter.refuseIfOver('signups', '203.0.113.9')).resolves.toBeUndefined();
    await expect(limiter.refuseIfOver('credentials', '203.0.113.10')).resolves.toBeUndefined();
  });
});
