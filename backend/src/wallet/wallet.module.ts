import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BalanceEntity, LedgerEntryEntity, LedgerJournalEntity } from './entities/ledger.entities';
import { IdempotencyService } from './idempotency.service';
import { LedgerAdjustmentsService } from './ledger-adjustments.service';
import { LedgerService } from './ledger.service';
import { LedgerAdjustmentsController, WalletController } from './wallet.controller';
import { WalletService } from './wallet.service';
import { QuotesModule } from '../prices/quotes/quotes.module';

/** Balances and the ledger. Other modules move money only through LedgerService. */
@Module({
  imports: [TypeOrmModule.forFeature([LedgerJournalEntity, LedgerEntryEntity, BalanceEntity]), QuotesModule, AuditModule],
  controllers: [WalletController, LedgerAdjustmentsController],
  providers: [LedgerService, IdempotencyService, WalletService, LedgerAdjustmentsService],
  exports: [LedgerService, IdempotencyService],
})
export class WalletModule {}
