import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { CASH_ASSET, formatAmount } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { WalletResponseDto } from './dto/wallet.dto';
import { LedgerService } from '../ledger/ledger.service';
import { userAccount } from '../ledger/ledger.types';

/** USD value of an amount of an asset at the latest quote; undefined when there is none. */
export function usdValueOf(quotes: MarketQuotes, asset: string, amount: Dec): Dec | undefined {
  if (asset === CASH_ASSET) return amount;
  const q = quotes.latest(asset);
  return q ? amount.mul(q.price) : undefined;
}

@Injectable()
export class WalletService {
  constructor(
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    private readonly ledger: LedgerService,
  ) {}

  async getBalance(user: AuthUser): Promise<WalletResponseDto> {
    const rows = await this.ledger.balancesOf(userAccount(user.id));
    let totalUsd = dec(0);
    let updatedAt: Date | undefined;
    const balances = rows
      .filter((r) => r.asset === CASH_ASSET || !dec(r.available).add(r.locked).isZero())
      .map((r) => {
        const total = dec(r.available).add(r.locked);
        const usd = usdValueOf(this.quotes, r.asset, total);
        if (usd) totalUsd = totalUsd.add(usd);
        if (!updatedAt || r.updatedAt > updatedAt) updatedAt = r.updatedAt;
        return {
          asset: r.asset,
          available: formatAmount(r.available, r.asset),
          locked: formatAmount(r.locked, r.asset),
          total: formatAmount(total, r.asset),
          usdValue: usd ? formatAmount(usd.toDecimalPlaces(2), CASH_ASSET) : null,
        };
      });
    if (!balances.some((b) => b.asset === CASH_ASSET)) {
      balances.unshift({ asset: CASH_ASSET, available: '0.00', locked: '0.00', total: '0.00', usdValue: '0.00' });
    }
    return { wallet: { balances, totalUsd: formatAmount(totalUsd.toDecimalPlaces(2), CASH_ASSET), updatedAt: updatedAt ? updatedAt.toISOString() : null } };
  }
}
