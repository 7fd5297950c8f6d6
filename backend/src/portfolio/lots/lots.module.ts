import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../audit/audit.module';
import { LedgerReaderModule } from '../../ledger/reader/ledger-reader.module';
import { CandlesReaderModule } from '../../prices/candles/candles-reader.module';
import { CostBasisMethodEntity, LotCostEntryEntity, WithdrawalTransferMarkEntity } from './entities/cost-basis.entities';
import { LotBookBuilder } from './lot-book.builder';
import { LotsController } from './lots.controller';
import { LotsRepository } from './lots.repository';
import { LotsService } from './lots.service';

/**
 * Cost-basis lots, rebuilt from the ledger on every read (ARCHITECTURE.md "Cost-basis lots"); owns what the owner says
 * of them (methods, entered costs, own-wallet marks). Exports the builder for the reports.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([CostBasisMethodEntity, LotCostEntryEntity, WithdrawalTransferMarkEntity]),
    LedgerReaderModule,
    CandlesReaderModule,
    AuditModule,
  ],
  controllers: [LotsController],
  providers: [LotsRepository, LotBookBuilder, LotsService],
  exports: [LotBookBuilder],
})
export class LotsModule {}
