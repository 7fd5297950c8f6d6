import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { FailureLimiter } from '../common/guards/failure-limiter';
import { AppConfig } from '../config/config.service';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { LedgerModule } from '../ledger/ledger.module';
import { PricesModule } from '../prices/prices.module';
import { DepositsController, PaymentWebhookController } from './deposits/deposits.controller';
import { DepositsService } from './deposits/deposits.service';
import { DepositEventEntity } from './deposits/entities/deposit-event.entity';
import { DepositEntity } from './deposits/entities/deposit.entity';
import { createIpnSecret, createPaymentProvider, IpnSecret, PAYMENT_PROVIDER } from './payments/payment-provider.factory';
import { WithdrawalApprovalEntity } from './withdrawals/entities/withdrawal-approval.entity';
import { WithdrawalEntity } from './withdrawals/entities/withdrawal.entity';
import { AdminWithdrawalsController, WithdrawalsController } from './withdrawals/withdrawals.controller';
import { WithdrawalsService } from './withdrawals/withdrawals.service';

/** Money in and out of the platform: deposits through a payment provider, withdrawals with review. Moves money only through the ledger. */
@Module({
  imports: [TypeOrmModule.forFeature([DepositEntity, DepositEventEntity, WithdrawalEntity, WithdrawalApprovalEntity]), LedgerModule, IdempotencyModule, PricesModule, AuthModule],
  controllers: [DepositsController, PaymentWebhookController, WithdrawalsController, AdminWithdrawalsController],
  providers: [
    {
      provide: PAYMENT_PROVIDER,
      inject: [AppConfig, { token: MARKET_QUOTES, optional: true }],
      useFactory: (config: AppConfig, quotes?: MarketQuotes) => createPaymentProvider(config, quotes),
    },
    { provide: IpnSecret, inject: [AppConfig], useFactory: createIpnSecret },
    DepositsService,
    FailureLimiter,
    WithdrawalsService,
  ],
})
export class WalletTransfersModule {}
