import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { UsersReaderModule } from '../auth/users/users-reader.module';
import { WebhookOutboxModule } from '../auth/api-keys/webhooks/webhook-outbox.module';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { FailureLimitsModule } from '../common/guards/failure-limits.module';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { AppConfig } from '../config/config.service';
import { LedgerModule } from '../ledger/ledger.module';
import { MetricsModule } from '../metrics/metrics.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { QuotesModule } from '../prices/quotes/quotes.module';
import { WithdrawalAddressesController } from './addresses/withdrawal-addresses.controller';
import { WithdrawalAddressesRepository } from './addresses/withdrawal-addresses.repository';
import { WithdrawalAddressesService } from './addresses/withdrawal-addresses.service';
import { WithdrawalAddressEntity, WithdrawalAddressLockEntity } from './addresses/entities/withdrawal-address.entity';
import { CashOutJournals } from './cash-out/cash-out-journals';
import { CashOutQuotesRepository } from './cash-out/cash-out-quotes.repository';
import { CashOutsController } from './cash-out/cash-outs.controller';
import { CashOutsService } from './cash-out/cash-outs.service';
import { CashOutQuoteEntity } from './cash-out/entities/cash-out-quote.entity';
import { DepositsController, PaymentWebhookController } from './deposits/deposits.controller';
import { DepositsRepository } from './deposits/deposits.repository';
import { DepositsService } from './deposits/deposits.service';
import { DepositEventEntity } from './deposits/entities/deposit-event.entity';
import { DepositEntity } from './deposits/entities/deposit.entity';
import { LedgerAdjustmentEntity } from './entities/ledger-adjustment.entity';
import { LedgerAdjustmentsRepository } from './ledger-adjustments.repository';
import { LedgerAdjustmentsService } from './ledger-adjustments.service';
import { createIpnSecret, createPaymentProvider, IpnSecret, PAYMENT_PROVIDER } from './payments/payment-provider.factory';
import { WalletController } from './wallet.controller';
import { WalletService } from './wallet.service';
import { WithdrawalApprovalEntity } from './withdrawals/entities/withdrawal-approval.entity';
import { WithdrawalEntity } from './withdrawals/entities/withdrawal.entity';
import { WithdrawalsController } from './withdrawals/withdrawals.controller';
import { WithdrawalsRepository } from './withdrawals/withdrawals.repository';
import { WithdrawalsService } from './withdrawals/withdrawals.service';
import { WithdrawalQueueGauge } from './withdrawals/withdrawal-queue.gauge';
import { WithdrawalPayoutEntity, WithdrawalPayoutEventEntity } from './withdrawals/payouts/entities/withdrawal-payout.entity';
import { PayoutSender } from './withdrawals/payouts/payout-sender';
import { PayoutStatuses } from './withdrawals/payouts/payout-statuses';
import { PayoutWebhookController } from './withdrawals/payouts/payout-webhook.controller';
import { PayoutWorker } from './withdrawals/payouts/payout-worker';
import { PayoutsRepository } from './withdrawals/payouts/payouts.repository';
import { ProviderReconciliationEntity } from './reconciliation/entities/provider-reconciliation.entity';
import { ProviderReconciliationService } from './reconciliation/provider-reconciliation.service';
import { ProviderReconciliationsRepository } from './reconciliation/provider-reconciliations.repository';

/**
 * The wallet, on top of the ledger: balances as the user sees them, deposits
 * through a payment provider, withdrawals with their review, and admin ledger
 * adjustments. Moves money only through LedgerService. The admin routes
 * (withdrawal review, adjustments) live in admin/ and call the services
 * exported here.
 */
@Module({
  imports: [
    FailureLimitsModule,
    TypeOrmModule.forFeature([
      DepositEntity,
      DepositEventEntity,
      WithdrawalEntity,
      WithdrawalApprovalEntity,
      LedgerAdjustmentEntity,
      WithdrawalAddressEntity,
      WithdrawalAddressLockEntity,
      CashOutQuoteEntity,
      WithdrawalPayoutEntity,
      WithdrawalPayoutEventEntity,
      ProviderReconciliationEntity,
    ]),
    LedgerModule,
    IdempotencyModule,
    QuotesModule,
    AuthModule,
    UsersReaderModule,
    AuditModule,
    NotificationsModule,
    MetricsModule,
    WebhookOutboxModule,
  ],
  controllers: [
    WalletController,
    DepositsController,
    PaymentWebhookController,
    WithdrawalsController,
    WithdrawalAddressesController,
    CashOutsController,
    PayoutWebhookController,
  ],
  providers: [
    {
      provide: PAYMENT_PROVIDER,
      inject: [AppConfig, { token: MARKET_QUOTES, optional: true }],
      useFactory: (config: AppConfig, quotes?: MarketQuotes) => createPaymentProvider(config, quotes),
    },
    { provide: IpnSecret, inject: [AppConfig], useFactory: createIpnSecret },
    WalletService,
    DepositsRepository,
    DepositsService,
    WithdrawalsRepository,
    WithdrawalAddressesRepository,
    WithdrawalAddressesService,
    WithdrawalsService,
    WithdrawalQueueGauge,
    CashOutJournals,
    CashOutQuotesRepository,
    CashOutsService,
    LedgerAdjustmentsRepository,
    LedgerAdjustmentsService,
    PayoutsRepository,
    PayoutSender,
    PayoutStatuses,
    PayoutWorker,
    ProviderReconciliationsRepository,
    ProviderReconciliationService,
  ],
  exports: [WithdrawalsService, LedgerAdjustmentsService, ProviderReconciliationService, PayoutStatuses],
})
export class WalletModule {}
