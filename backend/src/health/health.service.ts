import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '../config/config.service';
import { type DependencyStatus, MetricsService } from '../metrics/metrics.service';
import { REDIS_HEALTH, type RedisHealth } from '../redis/redis.interfaces';
import { HealthRepository } from './health.repository';
import { ApiInfoDto, ReadinessDto } from './dto/health.dto';
import { PRICE_FRESHNESS, type PriceFreshness } from './price-freshness';

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

@Injectable()
export class HealthService {
  constructor(
    private readonly config: AppConfig,
    private readonly db: HealthRepository,
    @Inject(REDIS_HEALTH) private readonly redis: RedisHealth,
    @Optional() @Inject(PRICE_FRESHNESS) private readonly prices?: PriceFreshness,
    @Optional() metrics?: MetricsService,
  ) {
    metrics?.reportDependenciesFrom(() => this.dependencies());
  }

  /** The database and Redis as this instance sees them now, and the pool (`cryptovault_database_up`, `_redis_up`, `_db_pool_*`). */
  async dependencies(): Promise<DependencyStatus> {
    const [databaseUp, redisUp] = await Promise.all([
      withTimeout(this.db.ping(), 2_000).then(
        () => true,
        () => false,
      ),
      withTimeout(this.redis.ping(), 1_000).catch(() => false),
    ]);
    return { databaseUp, redisUp, pool: this.db.poolStats() };
  }

  info(): ApiInfoDto {
    return { name: 'CryptoVault', version: this.config.values.version, environment: this.config.values.profile, docs: '/docs' };
  }

  /** Database down → down; Redis down or prices stale → degraded (the API still serves). */
  async readiness(): Promise<ReadinessDto> {
    const t0 = Date.now();
    const dbUp = await withTimeout(this.db.ping(), 2_000).then(
      () => true,
      () => false,
    );
    const t1 = Date.now();
    const redisUp = await withTimeout(this.redis.ping(), 1_000).catch(() => false);
    const t2 = Date.now();
    const prices = this.prices?.freshness() ?? null;
    const status = !dbUp ? 'down' : !redisUp || prices?.stale ? 'degraded' : 'ok';
    return {
      status,
      components: {
        database: { status: dbUp ? 'up' : 'down', kind: this.config.values.databaseUrl ? 'postgres' : 'pglite', latencyMs: t1 - t0 },
        redis: { status: redisUp ? 'up' : 'down', kind: this.redis.mode, latencyMs: t2 - t1 },
        prices,
      },
      version: this.config.values.version,
    };
  }
}
