import { CASH_ASSET } from '../../common/money/amount-format';
import { dec } from '../../common/money/decimal';
import { userAccount } from '../../ledger/ledger.types';
import type { LedgerReader } from '../../ledger/reader/ledger.reader';
import type { ReconciliationCheck } from '../../ledger/reconciliation';
import type { LotBookBuilder } from './lot-book.builder';
import { remainingByAsset } from './lot-matching';

const LIMIT = 50;

/**
 * `npm run reconcile`'s proof of the lots: for every user, the lots rebuilt from the ledger (quantities only) leave
 * per asset exactly the user's balance (available + locked, the `balances` rows), and no disposal needed more than
 * the open lots held.
 */
export async function lotsReconciliation(builder: LotBookBuilder, ledger: LedgerReader, userIds: readonly string[]): Promise<ReconciliationCheck> {
  const violations: string[] = [];
  for (const id of userIds) {
    const [{ book }, totals] = await Promise.all([builder.build(id, { prices: false }), ledger.totals(userAccount(id))]);
    const lots = remainingByAsset(book);
    const balances = new Map(totals.filter((t) => t.asset !== CASH_ASSET).map((t) => [t.asset, dec(t.total)]));
    for (const asset of [...new Set([...lots.keys(), ...balances.keys()])].sort()) {
      const inLots = lots.get(asset) ?? dec(0);
      const balance = balances.get(asset) ?? dec(0);
      if (!inLots.eq(balance)) violations.push(`user ${id} ${asset}: lots hold ${inLots.toFixed()}, the balance (available + locked) is ${balance.toFixed()}`);
    }
    for (const [asset, qty] of book.uncovered) violations.push(`user ${id} ${asset}: disposals took ${qty.toFixed()} more than the open lots held`);
  }
  return { name: 'lots equal balances per user and asset', violations: violations.slice(0, LIMIT), count: violations.length };
}
