import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertTriggerService } from './alert-trigger.service';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { AlertEntity } from './entities/alert.entity';

/** Price alerts and their triggering (needs MARKET_QUOTES from the prices module). */
@Module({
  imports: [TypeOrmModule.forFeature([AlertEntity]), NotificationsModule],
  controllers: [AlertsController],
  providers: [AlertsService, AlertTriggerService],
})
export class AlertsModule {}
