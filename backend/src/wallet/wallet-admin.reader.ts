import { Injectable } from '@nestjs/common';
import { WalletAdminReaderRepository } from './wallet-admin-reader.repository';

/** What the back office may read of deposits and withdrawals: how many are pending. */
@Injectable()
export class WalletAdminReader {
  constructor(private readonly repo: WalletAdminReaderRepository) {}

  /** Pending deposits and withdrawals; each null when this deployment has no such table. */
  async pending(): Promise<{ deposits: number | null; withdrawals: number | null }> {
    const present = await this.repo.present();
    return {
      deposits: present.deposits ? await this.repo.pendingDeposits() : null,
      withdrawals: present.withdrawals ? await this.repo.pendingWithdrawals() : null,
    };
  }
}
