import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/config.service';
import { KV_STORE, type KeyValueStore } from '../../redis/redis.interfaces';
import { FailureLimiter } from './failure-limiter';

/**
 * The outcome counters (FAILURE_LIMITS: failed credentials, accepted signups,
 * IPN signature failures) in the rate limits' shared store, scaled by
 * RATE_LIMIT_SCALE. Modules whose routes use `@LimitedByOutcomes` import it.
 */
@Module({
  providers: [
    {
      provide: FailureLimiter,
      inject: [KV_STORE, AppConfig],
      useFactory: (kv: KeyValueStore, config: AppConfig) => new FailureLimiter(kv, config.values.rateLimitScale),
    },
  ],
  exports: [FailureLimiter],
})
export class FailureLimitsModule {}
