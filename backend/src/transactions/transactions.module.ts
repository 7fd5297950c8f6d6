import { Module } from '@nestjs/common';
import { TransactionsController } from './transactions.controller';
import { TransactionsService } from './transactions.service';

/** The user-facing read side of the ledger. */
@Module({ controllers: [TransactionsController], providers: [TransactionsService] })
export class TransactionsModule {}
