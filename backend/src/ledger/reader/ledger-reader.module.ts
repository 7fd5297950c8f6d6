import { Module } from '@nestjs/common';
import { LedgerReaderRepository } from './ledger-reader.repository';
import { LedgerReader } from './ledger.reader';

/** The ledger as the domains above it may read it (see LedgerReader); imports nothing but the database. */
@Module({
  providers: [LedgerReaderRepository, LedgerReader],
  exports: [LedgerReader],
})
export class LedgerReaderModule {}
