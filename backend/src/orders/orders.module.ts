import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { OrderEntity } from './entities/order.entity';
import { PositionCostEntity } from './entities/position-cost.entity';
import { MarketOrderBatcher } from './market-order-batcher';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { PositionsRepository } from './positions.repository';
import { TradeExecutor } from './trade-executor';
import { TriggerEngine } from './trigger-engine.service';
import { QuotesModule } from '../prices/quotes/quotes.module';
import { TriggersModule } from '../triggers/triggers.module';
import { WebhookOutboxModule } from '../auth/api-keys/webhooks/webhook-outbox.module';

/** Orders and the cost basis of what they filled (`position_costs`). Moves money only through the ledger. */
@Module({
  imports: [
    TypeOrmModule.forFeature([OrderEntity, PositionCostEntity]),
    LedgerModule,
    IdempotencyModule,
    QuotesModule,
    TriggersModule,
    MetricsModule,
    NotificationsModule,
    WebhookOutboxModule,
  ],
  controllers: [OrdersController],
  providers: [OrdersService, OrdersRepository, PositionsRepository, TradeExecutor, MarketOrderBatcher, TriggerEngine],
  // For recurring-buys (floor 4), which places its buys through the same path as POST /api/orders.
  exports: [OrdersService],
})
export class OrdersModule {}
