import { Injectable } from '@nestjs/common';
import { UsersReader } from '../auth/users/users.reader';
import { LedgerAdminReader } from '../ledger/ledger-admin.reader';
import { OrdersAdminReader } from '../orders/orders-admin.reader';
import { WalletAdminReader } from '../wallet/wallet-admin.reader';
import { AdminStatsDto } from './dto/admin-back-office.dto';

/**
 * The back-office dashboard figures, through the readers of the owning modules.
 * A figure whose table does not exist in this deployment is null.
 */
@Injectable()
export class AdminStatsService {
  constructor(
    private readonly users: UsersReader,
    private readonly orders: OrdersAdminReader,
    private readonly wallet: WalletAdminReader,
    private readonly ledger: LedgerAdminReader,
  ) {}

  async stats(): Promise<AdminStatsDto> {
    const users = await this.users.counts();
    const trades = await this.orders.filledLast24h();
    const fees = await this.ledger.feesCollected();
    const pending = await this.wallet.pending();
    return {
      users,
      trades: { count24h: trades?.count ?? null, volume24hUsd: trades?.volume ?? null },
      deposits: { pending: pending.deposits },
      withdrawals: { pending: pending.withdrawals },
      feeRevenue: fees,
      generatedAt: new Date().toISOString(),
    };
  }
}
