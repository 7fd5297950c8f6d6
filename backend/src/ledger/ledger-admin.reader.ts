import { Injectable } from '@nestjs/common';
import { type AssetAmountRow, LedgerAdminReaderRepository } from './ledger-admin-reader.repository';

export type { AssetAmountRow };

/** The platform's fee account, whose balance is the fee revenue. */
const FEES_ACCOUNT = 'platform:fees';

/** What the back office may read of the ledger: the fees collected. */
@Injectable()
export class LedgerAdminReader {
  constructor(private readonly repo: LedgerAdminReaderRepository) {}

  /** Fees collected per asset (the fee account's balance); null when this deployment has no balances table. */
  async feesCollected(): Promise<AssetAmountRow[] | null> {
    return (await this.repo.present()) ? this.repo.accountTotals(FEES_ACCOUNT) : null;
  }
}
