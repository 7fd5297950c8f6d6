import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../../config/config.service';
import { KV_STORE, type KeyValueStore } from '../../redis/redis.interfaces';
import { RateLimitGuard, rateLimitThrottlers } from './rate-limit.guard';
import { RateLimitStorage } from './rate-limit.storage';

/**
 * @nestjs/throttler configured for this app: one throttler per policy in
 * RATE_LIMITS (scaled by RATE_LIMIT_SCALE), counted in RateLimitStorage (the
 * shared key-value store: Redis, or its in-process twin without REDIS_URL).
 * Exports the guard (RateLimitGuard), which AppModule registers globally after
 * the authentication guard, so it can count per user.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, KV_STORE],
      useFactory: (config: AppConfig, kv: KeyValueStore) => ({
        throttlers: rateLimitThrottlers(config.values.rateLimitScale),
        storage: new RateLimitStorage(kv),
        // Retry-After comes with the 429 (rateLimited); no X-RateLimit-* headers on every answer.
        setHeaders: false,
      }),
    }),
  ],
  providers: [RateLimitGuard],
  exports: [RateLimitGuard],
})
export class RateLimitModule {}
