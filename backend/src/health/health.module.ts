import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PricesModule } from '../prices/prices.module';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { HealthService } from './health.service';

/** Probes (prices' freshness from the prices module), the API index and the CSRF token (which needs the auth module to bind it to the session). */
@Module({ imports: [AuthModule, PricesModule], controllers: [HealthController], providers: [HealthRepository, HealthService] })
export class HealthModule {}
