import { Module } from '@nestjs/common';
import { MetricsAccessGuard } from './metrics-access.guard';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { QuotesModule } from '../prices/quotes/quotes.module';

/**
 * `/metrics` and the instruments behind it. The modules that record into it
 * (orders, the WebSocket gateways) import it; the edge middleware gets it from
 * the application. Apart from `health` (probes) since scraping has its own access rule.
 */
@Module({
  imports: [QuotesModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsAccessGuard],
  exports: [MetricsService],
})
export class MetricsModule {}
