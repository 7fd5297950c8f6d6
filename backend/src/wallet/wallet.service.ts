import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth/auth-user';
import { notFound, unprocessable, validationFailed } from '../common/errors/app-error';
import { MARKET_QUOTES, type MarketQuotes } from '../common/market/market-quotes';
import { CASH_ASSET, formatAmount } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { AuditService } from '../audit/audit.service';
import { inTransaction } from '../database/transaction';
import { randomUUID } from 'node:crypto';
import { LedgerAdjustmentDto, LedgerAdjustmentResponseDto, WalletResponseDto } from './dto/wallet.dto';
import { LedgerService } from './ledger.service';
import { PLATFORM_TREASURY, userAccount } from './ledger.types';

/** USD value of an amount of an asset at the latest quote; undefined when there is none. */
export function usdValueOf(quotes: MarketQuotes, asset: string, amount: Dec): Dec | undefined {
  if (asset === CASH_ASSET) return amount;
  const q = quotes.latest(asset);
  return q ? amount.mul(q.price) : undefined;
}

@Injectable()
export class WalletService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MARKET_QUOTES) private readonly quotes: MarketQuotes,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async getBalance(user: AuthUser): Promise<WalletResponseDto> {
    const rows = await this.ledger.balancesOf(this.dataSource.manager, userAccount(user.id));
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

  /** Admin correction: credits (or, negative, debits) a user against the platform treasury; audited in the same transaction. */
  async adjustLedger(admin: AuthUser, dto: LedgerAdjustmentDto): Promise<LedgerAdjustmentResponseDto> {
    const amount = dec(dto.amount);
    if (amount.isZero()) throw validationFailed([{ field: 'amount', message: 'amount must not be zero' }]);
    if (dto.asset !== CASH_ASSET && !this.quotes.isKnown(dto.asset)) throw unprocessable('UNKNOWN_ASSET', `Unknown asset ${dto.asset}`);
    return inTransaction(this.dataSource, async (em) => {
      const users = (await em.query(`SELECT id FROM users WHERE id = $1`, [dto.userId])) as unknown[];
      if (!users.length) throw notFound('No such user');
      const account = userAccount(dto.userId);
      const journalId = await this.ledger.post(em, {
        type: 'adjustment',
        reference: `adjustment:${randomUUID()}`,
        userId: dto.userId,
        description: dto.reason,
        lines: [
          { account, asset: dto.asset, amount, bucket: 'available', kind: 'adjustment' },
          { account: PLATFORM_TREASURY, asset: dto.asset, amount: amount.neg(), bucket: 'available', kind: 'adjustment' },
        ],
      });
      await this.audit.record(
        { action: 'ledger.adjustment', userId: dto.userId, actorId: admin.id, details: { journalId, asset: dto.asset, amount: formatAmount(amount, dto.asset), reason: dto.reason } },
        em,
      );
      return { journalId };
    });
  }
}
