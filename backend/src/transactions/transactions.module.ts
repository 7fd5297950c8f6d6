import { Module } from '@nestjs/common';
import { LedgerReaderModule } from '../ledger/reader/ledger-reader.module';
import { TransactionsController } from './transactions.controller';
import { TransactionsService } from './transactions.service';

/** The user-facing read side of the ledger (through LedgerReader). */
@Module({ imports: [LedgerReaderModule], controllers: [TransactionsController], providers: [TransactionsService] })
export class TransactionsModule {}
