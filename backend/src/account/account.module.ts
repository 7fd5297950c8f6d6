import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { UsersReaderModule } from '../auth/users/users-reader.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AccountExportWorker } from './account-export.worker';
import { AccountController } from './account.controller';
import { AccountRepository } from './account.repository';
import { AccountService } from './account.service';
import { AccountClosureEntity } from './entities/account-closure.entity';
import { AccountExportEntity } from './entities/account-export.entity';

/**
 * "Your data" (floor 4): data exports (`account_exports`, made by AccountExportWorker) and account closure
 * (`account_closures`, with the personal-data erasure and its journal, erasure/).
 */
@Module({
  imports: [TypeOrmModule.forFeature([AccountExportEntity, AccountClosureEntity]), AuthModule, UsersReaderModule, AuditModule, NotificationsModule],
  controllers: [AccountController],
  providers: [AccountRepository, AccountService, AccountExportWorker],
})
export class AccountModule {}
