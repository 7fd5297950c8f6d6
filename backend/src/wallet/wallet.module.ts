import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { PricesModule } from '../prices/prices.module';
import { LedgerAdjustmentsService } from './ledger-adjustments.service';
import { LedgerAdjustmentsController, WalletController } from './wallet.controller';
import { WalletService } from './wallet.service';

/** Balances as the user sees them, and ledger adjustments; on top of the ledger. */
@Module({
  imports: [LedgerModule, PricesModule],
  controllers: [WalletController, LedgerAdjustmentsController],
  providers: [WalletService, LedgerAdjustmentsService],
})
export class WalletModule {}
