import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersReaderModule } from '../auth/users/users-reader.module';
import { NotificationEntity } from './entities/notification.entity';
import { MailService } from './mail.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { UserEventsService } from './user-events.service';

/**
 * Telling users things: email (MailService), realtime user events fanned out
 * through PUB_SUB (UserEventsService) and the in-app list (NotificationsService.notify).
 * Not global: every module that tells users something imports this module.
 */
@Module({
  imports: [TypeOrmModule.forFeature([NotificationEntity]), UsersReaderModule],
  controllers: [NotificationsController],
  providers: [NotificationsRepository, MailService, UserEventsService, NotificationsService],
  exports: [MailService, UserEventsService, NotificationsService],
})
export class NotificationsModule {}
