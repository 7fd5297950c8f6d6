import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { UsersReaderModule } from '../auth/users/users-reader.module';
import { LedgerAdminReaderModule } from '../ledger/ledger-admin-reader.module';
import { OrdersAdminReaderModule } from '../orders/orders-admin-reader.module';
import { WalletAdminReaderModule } from '../wallet/wallet-admin-reader.module';
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
import { AdminReconciliationsController } from './reconciliation-admin.controller';
import { WalletModule } from '../wallet/wallet.module';

/**
 * The back office (`/api/admin/*`): its controllers call the owning module's
 * service (accounts: AuthModule) or read other domains through their readers.
 */
import { FailureLimitsModule } from '../common/guards/failure-limits.module';
import { AdminRolesController } from './admin-roles.controller';

@Module({
  imports: [
    AuthModule,
    AuditModule,
    FailureLimitsModule,
    UsersReaderModule,
    OrdersAdminReaderModule,
    WalletAdminReaderModule,
    LedgerAdminReaderModule,
    WalletModule,
  ],
  controllers: [
    AdminController,
    AdminRolesController,
    AdminBackOfficeController,
    AdminWithdrawalsController,
    LedgerAdjustmentsController,
    AdminReconciliationsController,
  ],
  providers: [AdminSetupService, AdminStatsService, AdminUsersService, AdminAuditLogsService, AdminTradesService, AdminReadAuditInterceptor],
})
export class AdminModule {}
