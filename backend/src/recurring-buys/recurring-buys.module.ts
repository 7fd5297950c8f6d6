import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { UsersReaderModule } from '../auth/users/users-reader.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrdersModule } from '../orders/orders.module';
import { QuotesModule } from '../prices/quotes/quotes.module';
import { RecurringBuyRunEntity } from './entities/recurring-buy-run.entity';
import { RecurringBuyEntity } from './entities/recurring-buy.entity';
import { RecurringBuysController } from './recurring-buys.controller';
import { RecurringBuysRepository } from './recurring-buys.repository';
import { RecurringBuysRunner } from './recurring-buys.runner';
import { RecurringBuysService } from './recurring-buys.service';

/**
 * Recurring buys (floor 4, on top of orders): schedules and their runs (`recurring_buys`, `recurring_buy_runs`),
 * and the runner that places each period's buy through the orders module's market-order path. Moves no money
 * itself: every buy is a customer's market order, journal and all.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([RecurringBuyEntity, RecurringBuyRunEntity]),
    OrdersModule,
    QuotesModule,
    UsersReaderModule,
    IdempotencyModule,
    NotificationsModule,
    AuditModule,
  ],
  controllers: [RecurringBuysController],
  providers: [RecurringBuysRepository, RecurringBuysService, RecurringBuysRunner],
})
export class RecurringBuysModule {}
