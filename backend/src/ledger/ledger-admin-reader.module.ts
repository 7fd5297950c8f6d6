import { Module } from '@nestjs/common';
import { LedgerAdminReaderRepository } from './ledger-admin-reader.repository';
import { LedgerAdminReader } from './ledger-admin.reader';

/** The ledger as the back office's figures read it (see LedgerAdminReader); imports nothing but the database. */
@Module({
  providers: [LedgerAdminReaderRepository, LedgerAdminReader],
  exports: [LedgerAdminReader],
})
export class LedgerAdminReaderModule {}
