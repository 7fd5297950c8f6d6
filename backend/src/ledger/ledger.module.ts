import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MetricsModule } from '../metrics/metrics.module';
import { BalanceEntity, LedgerEntryEntity, LedgerJournalEntity } from './entities/ledger.entities';
import { LedgerCheckService } from './ledger-check.service';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';
import { LedgerReaderModule } from './reader/ledger-reader.module';
import { ReconciliationRepository } from './reconciliation.repository';

/**
 * The ground floor for money: the journal statement, balances, the sharded
 * platform accounts, reconciliation and its periodic check. Imports no domain
 * above it (orders, wallet, portfolio, transactions…): they hand it journals
 * and statement parts as values. Other modules move money only through
 * LedgerService and read it through LedgerReader.
 */
@Module({
  imports: [TypeOrmModule.forFeature([LedgerJournalEntity, LedgerEntryEntity, BalanceEntity]), MetricsModule, LedgerReaderModule],
  providers: [LedgerRepository, LedgerService, ReconciliationRepository, LedgerCheckService],
  exports: [LedgerService, LedgerReaderModule],
})
export class LedgerModule {}
