import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationEntity } from './entities/notification.entity';
import { MailService } from './mail.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { UserEventsService } from './user-events.service';

/**
 * Telling users things: email (MailService), realtime user events fanned out
 * through PUB_SUB (UserEventsService) and the in-app list (NotificationsService.notify).
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([NotificationEntity])],
  controllers: [NotificationsController],
  providers: [MailService, UserEventsService, NotificationsService],
  exports: [MailService, UserEventsService, NotificationsService],
})
export class NotificationsModule {}
