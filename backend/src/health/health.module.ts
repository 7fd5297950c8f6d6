import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MetricsModule } from '../metrics/metrics.module';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { HealthService } from './health.service';
import { QuotesModule } from '../prices/quotes/quotes.module';

/**
 * Probes (prices' freshness from the quotes module), the API index and the CSRF token (which needs the auth module to
 * bind it to the session); the database, Redis and pool gauges of /metrics read the same probes.
 */
@Module({ imports: [AuthModule, QuotesModule, MetricsModule], controllers: [HealthController], providers: [HealthRepository, HealthService] })
export class HealthModule {}
