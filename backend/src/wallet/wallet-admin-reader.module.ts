import { Module } from '@nestjs/common';
import { WalletAdminReaderRepository } from './wallet-admin-reader.repository';
import { WalletAdminReader } from './wallet-admin.reader';

/** Deposits and withdrawals as the back office's figures read them (see WalletAdminReader); imports nothing but the database. */
@Module({
  providers: [WalletAdminReaderRepository, WalletAdminReader],
  exports: [WalletAdminReader],
})
export class WalletAdminReaderModule {}
