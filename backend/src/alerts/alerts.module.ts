import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersReaderModule } from '../auth/users/users-reader.module';
import { WebhookOutboxModule } from '../auth/api-keys/webhooks/webhook-outbox.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { QuotesModule } from '../prices/quotes/quotes.module';
import { TriggersModule } from '../triggers/triggers.module';
import { AlertTriggerService } from './alert-trigger.service';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { AlertEntity } from './entities/alert.entity';

/** Alerts on a price or a 24 h move, once or repeating: their CRUD, and their registration into the trigger engine (which fires them on the leader's ticks). */
@Module({
  imports: [TypeOrmModule.forFeature([AlertEntity]), QuotesModule, TriggersModule, UsersReaderModule, NotificationsModule, WebhookOutboxModule],
  controllers: [AlertsController],
  providers: [AlertsRepository, AlertsService, AlertTriggerService],
})
export class AlertsModule {}
