import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AdminSetupService } from './admin-setup.service';
import { AdminController } from './admin.controller';

@Module({
  imports: [AuthModule],
  controllers: [AdminController],
  providers: [AdminSetupService],
})
export class AdminModule {}
