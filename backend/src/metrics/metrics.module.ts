import { Global, Module } from '@nestjs/common';
import { MetricsAccessGuard } from './metrics-access.guard';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * `/metrics` and the instruments behind it. Global because the edge
 * middleware, the orders and the WebSocket gateways all record into it;
 * apart from `health` (probes) since scraping has its own access rule.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, MetricsAccessGuard],
  exports: [MetricsService],
})
export class MetricsModule {}
