import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AdminAuditLogsService } from './admin-audit-logs.service';
import { AdminBackOfficeController } from './admin-back-office.controller';
import { AdminReadAuditInterceptor } from './admin-read-audit.interceptor';
import { AdminSetupService } from './admin-setup.service';
import { AdminStatsService } from './admin-stats.service';
import { AdminTradesService } from './admin-trades.service';
import { AdminUsersService } from './admin-users.service';
import { AdminController } from './admin.controller';
import { LedgerAdjustmentsController } from './ledger-admin.controller';
import { AdminWithdrawalsController } from './wallet-admin.controller';
import { WalletModule } from '../wallet/wallet.module';

@Module({
  imports: [AuthModule, WalletModule],
  controllers: [AdminController, AdminBackOfficeController, AdminWithdrawalsController, LedgerAdjustmentsController],
  providers: [AdminSetupService, AdminStatsService, AdminUsersService, AdminAuditLogsService, AdminTradesService, AdminReadAuditInterceptor],
})
export class AdminModule {}
