import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AdminModule } from './admin/admin.module';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ApiKeysModule } from './auth/api-keys/api-keys.module';
import { WebhooksModule } from './auth/api-keys/webhooks/webhooks.module';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { StepUpGuard } from './auth/step-up/step-up.guard';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { CsrfGuard } from './auth/csrf.guard';
import { RateLimitGuard } from './common/guards/rate-limit.guard';
import { RateLimitModule } from './common/guards/rate-limit.module';
import { RolesGuard } from './common/guards/roles.guard';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { ConfigModule } from './config/config.module';
import { ConvertModule } from './convert/convert.module';
import { DatabaseModule } from './database/database.module';
import { FxModule } from './fx/fx.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { UserSocketModule } from './notifications/user-socket.module';
import { OrdersModule } from './orders/orders.module';
import { PortfolioModule } from './portfolio/portfolio.module';
import { PricesModule } from './prices/prices.module';
import { RedisModule } from './redis/redis.module';
import { RecurringBuysModule } from './recurring-buys/recurring-buys.module';
import { TransactionsModule } from './transactions/transactions.module';
import { WalletModule } from './wallet/wallet.module';
import { WatchlistModule } from './watchlist/watchlist.module';
import { AccountModule } from './account/account.module';
import { StatementsModule } from './reports/statements/statements.module';
import { LotsModule } from './portfolio/lots/lots.module';
import { ReportsModule } from './reports/reports.module';
import { ReservesModule } from './reserves/reserves.module';

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    RedisModule,
    ScheduleModule.forRoot(),
    RateLimitModule,
    // First of the modules with routes: Express tries routes in registration order, and the
    // market data routes are the most requested (every open page polls or streams them).
    PricesModule,
    FxModule,
    AuditModule,
    NotificationsModule,
    HealthModule,
    MetricsModule,
    AuthModule,
    ApiKeysModule,
    WebhooksModule,
    AdminModule,
    WalletModule,
    OrdersModule,
    ConvertModule,
    PortfolioModule,
    TransactionsModule,
    AlertsModule,
    RecurringBuysModule,
    WatchlistModule,
    AccountModule,
    StatementsModule,
    LotsModule,
    ReportsModule,
    ReservesModule,
    UserSocketModule,
  ],
  providers: [
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    // No global interceptor: the request timeout lives in the edge middleware (httpEdge), which keeps
    // Nest's per-request rxjs pipeline off every route.
    // Guards run in this order: who is calling, CSRF, rate limits, roles, a fresh step-up (@RequiresStepUp routes).
    { provide: APP_GUARD, useExisting: JwtAuthGuard },
    { provide: APP_GUARD, useClass: CsrfGuard },
    { provide: APP_GUARD, useExisting: RateLimitGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useExisting: StepUpGuard },
  ],
})
export class AppModule {}
