import { Module } from '@nestjs/common';
import { LedgerReaderModule } from '../ledger/reader/ledger-reader.module';
import { CandlesReaderModule } from '../prices/candles/candles-reader.module';
import { TransactionsController } from './transactions.controller';
import { TransactionsService } from './transactions.service';

/** The user-facing read side of the ledger (through LedgerReader), events priced at recorded closes (CandlesReader). */
@Module({ imports: [LedgerReaderModule, CandlesReaderModule], controllers: [TransactionsController], providers: [TransactionsService] })
export class TransactionsModule {}
