import { Module } from '@nestjs/common';
import { UsersReaderModule } from '../../auth/users/users-reader.module';
import { LedgerReaderModule } from '../../ledger/reader/ledger-reader.module';
import { CandlesReaderModule } from '../../prices/candles/candles-reader.module';
import { StatementsController } from './statements.controller';
import { StatementsRateLimitGuard } from './statements-rate-limit.guard';
import { StatementsService } from './statements.service';

/**
 * Monthly account statements (floor 4, a read model like transactions): the ledger through LedgerReader, the holder
 * through UsersReader, valuations at recorded closes through CandlesReader. No tables of its own.
 */
@Module({
  imports: [LedgerReaderModule, UsersReaderModule, CandlesReaderModule],
  controllers: [StatementsController],
  providers: [StatementsService, StatementsRateLimitGuard],
})
export class StatementsModule {}
