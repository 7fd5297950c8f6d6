import { Global, Module } from '@nestjs/common';
import { LedgerCheckService } from './ledger-check.service';
import { MetricsAccessGuard } from './metrics-access.guard';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { QuotesModule } from '../prices/quotes/quotes.module';

/**
 * `/metrics` and the instruments behind it. Global because the edge
 * middleware, the orders and the WebSocket gateways all record into it;
 * apart from `health` (probes) since scraping has its own access rule.
 */
@Global()
@Module({
  imports: [QuotesModule],
  controllers: [MetricsController],
  providers: [MetricsService, MetricsAccessGuard, LedgerCheckService],
  exports: [MetricsService],
})
export class MetricsModule {}
