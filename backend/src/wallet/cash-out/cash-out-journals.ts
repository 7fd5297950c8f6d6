import { Injectable } from '@nestjs/common';
import { CASH_ASSET } from '../../common/money/amount-format';
import { Dec, dec } from '../../common/money/decimal';
import type { Tx } from '../../database/unit-of-work';
import { LedgerService } from '../../ledger/ledger.service';
import { LedgerLine, PLATFORM_FEES, PLATFORM_TREASURY, userAccount } from '../../ledger/ledger.types';
import type { WithdrawalRow } from '../withdrawals/withdrawal.mapper';
import { CashOutProse, describeCashOutFunding, describeCashOutReversal } from './cash-out-pricing';

/** What a cash-out withdrawal converted: the terms of its quote, as stored on the withdrawal. */
export interface CashOutTerms {
  quoteId: string;
  /** The stablecoin sent, and the network its quote was made for. */
  asset: string;
  network: string;
  /** Dollars debited, fee included. */
  usdAmount: Dec;
  /** The conversion fee, in USD (part of usdAmount). */
  fee: Dec;
  /** USD per unit of the stablecoin. */
  price: Dec;
  /** Stablecoin bought: the withdrawal's amount + its network fee, all of it held. */
  converted: Dec;
  networkFee: Dec;
}

/** Whether a withdrawal row is a cash-out (its dollars recorded on it). */
export function isCashOut(w: Pick<WithdrawalRow, 'source_asset'>): boolean {
  return w.source_asset === CASH_ASSET;
}

/** A cash-out withdrawal's terms, read back from its row (its held total is what was converted). */
function termsOf(w: WithdrawalRow): CashOutProse {
  return {
    asset: w.asset,
    usdAmount: dec(w.source_amount!),
    fee: dec(w.source_fee!),
    price: dec(w.source_price!),
    converted: dec(w.amount).add(dec(w.fee)),
    networkFee: dec(w.fee),
  };
}

/**
 * The two journals only a cash-out has (API.md "USD cash-out"), each ONE balanced journal on the caller's
 * transaction. The platform treasury is the counterparty, as for convert and orders.
 *
 * Funding, when the withdrawal is requested (type `cash_out`, reference `withdrawal:<id>:hold`, the reference an
 * ordinary withdrawal's hold has, so a withdrawal is funded once):
 *   user USD available −net (trade), platform:treasury USD +net; user USD −fee (fee), platform:fees USD +fee;
 *   platform:treasury stablecoin −converted; user stablecoin LOCKED +converted (trade): held for the withdrawal, never
 *   available, so it leaves exactly as an ordinary withdrawal's hold does (completion: locked → external:withdrawals
 *   and the network fee to platform:fees).
 * Reversal, when it is cancelled, rejected or its payout fails (type `cash_out_reversal`, reference
 * `withdrawal:<id>:release`, the reference of an ordinary release, so it happens once and never besides a release):
 * the mirror of the funding, at the same price: the held stablecoin goes back to the treasury and every dollar,
 * the conversion fee included, back to available USD.
 */
@Injectable()
export class CashOutJournals {
  constructor(private readonly ledger: LedgerService) {}

  /** Debits the dollars and holds the stablecoin bought with them; 422 INSUFFICIENT_FUNDS (nothing posted) when USD is short. */
  async fund(tx: Tx, w: { id: string; userId: string; to: string; terms: CashOutTerms }): Promise<string> {
    const user = userAccount(w.userId);
    const t = w.terms;
    const net = t.usdAmount.sub(t.fee);
    const locked = await this.ledger.lock(tx, [
      { account: user, asset: CASH_ASSET },
      { account: user, asset: t.asset },
    ]);
    const lines: LedgerLine[] = [
      { account: user, asset: CASH_ASSET, amount: net.neg(), bucket: 'available', kind: 'trade' },
      { account: PLATFORM_TREASURY, asset: CASH_ASSET, amount: net, bucket: 'available', kind: 'trade' },
      { account: user, asset: CASH_ASSET, amount: t.fee.neg(), bucket: 'available', kind: 'fee' },
      { account: PLATFORM_FEES, asset: CASH_ASSET, amount: t.fee, bucket: 'available', kind: 'fee' },
      { account: PLATFORM_TREASURY, asset: t.asset, amount: t.converted.neg(), bucket: 'available', kind: 'trade' },
      { account: user, asset: t.asset, amount: t.converted, bucket: 'locked', kind: 'trade' },
    ];
    return this.ledger.post(
      tx,
      {
        type: 'cash_out',
        reference: `withdrawal:${w.id}:hold`,
        userId: w.userId,
        description: describeCashOutFunding({ ...t }, w.to),
        lines,
      },
      locked,
    );
  }

  /** Gives the dollars back at the quote's price, the fee included; `why`: "cancelled", "rejected"… (the withdrawal's row lock held). */
  async reverse(tx: Tx, w: WithdrawalRow, why: string): Promise<string> {
    const user = userAccount(w.user_id);
    const t = termsOf(w);
    const net = t.usdAmount.sub(t.fee);
    const locked = await this.ledger.lock(tx, [
      { account: user, asset: CASH_ASSET },
      { account: user, asset: t.asset },
    ]);
    const lines: LedgerLine[] = [
      { account: user, asset: t.asset, amount: t.converted.neg(), bucket: 'locked', kind: 'trade' },
      { account: PLATFORM_TREASURY, asset: t.asset, amount: t.converted, bucket: 'available', kind: 'trade' },
      { account: PLATFORM_TREASURY, asset: CASH_ASSET, amount: net.neg(), bucket: 'available', kind: 'trade' },
      { account: user, asset: CASH_ASSET, amount: net, bucket: 'available', kind: 'trade' },
      { account: PLATFORM_FEES, asset: CASH_ASSET, amount: t.fee.neg(), bucket: 'available', kind: 'fee' },
      { account: user, asset: CASH_ASSET, amount: t.fee, bucket: 'available', kind: 'fee' },
    ];
    return this.ledger.post(
      tx,
      {
        type: 'cash_out_reversal',
        reference: `withdrawal:${w.id}:release`,
        userId: w.user_id,
        description: describeCashOutReversal(t, why),
        lines,
      },
      locked,
    );
  }
}

/** The dollars a cash-out withdrawal gives back when it does not go out (for the texts that say so). */
export function cashOutUsd(w: Pick<WithdrawalRow, 'source_amount'>): Dec {
  return dec(w.source_amount ?? 0);
}
