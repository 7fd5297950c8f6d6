import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WalletModule } from '../wallet/wallet.module';
import { OrderEntity } from './entities/order.entity';
import { MarketOrderBatcher } from './market-order-batcher';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { TradeExecutor } from './trade-executor';
import { TriggerEngine } from './trigger-engine.service';
import { RestingOrdersRepository } from './resting-orders.repository';
import { QuotesModule } from '../prices/quotes/quotes.module';
import { TriggersModule } from '../triggers/triggers.module';

@Module({
  imports: [TypeOrmModule.forFeature([OrderEntity]), WalletModule, QuotesModule, TriggersModule, NotificationsModule, MetricsModule],
  controllers: [OrdersController],
  providers: [OrdersService, TradeExecutor, MarketOrderBatcher, TriggerEngine, RestingOrdersRepository],
})
export class OrdersModule {}
