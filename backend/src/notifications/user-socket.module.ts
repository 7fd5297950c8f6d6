import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UserSocketGateway } from './user-socket.gateway';

/** `/ws/user`, apart from NotificationsModule because it needs the auth module's token checks. */
@Module({
  imports: [AuthModule],
  providers: [UserSocketGateway],
})
export class UserSocketModule {}
