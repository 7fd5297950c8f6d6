import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MetricsModule } from '../metrics/metrics.module';
import { NotificationsModule } from './notifications.module';
import { UserSocketGateway } from './user-socket.gateway';

/** `/ws/user`, apart from NotificationsModule because it needs the auth module's token checks. */
@Module({
  imports: [AuthModule, NotificationsModule, MetricsModule],
  providers: [UserSocketGateway],
})
export class UserSocketModule {}
