import { Dec, dec } from '../common/money/decimal';
import { balanceKey, Bucket, LedgerLine } from './ledger.types';

export interface BalanceDelta {
  account: string;
  asset: string;
  available: Dec;
  locked: Dec;
}

/**
 * Checks that the lines balance (per asset, the amounts sum to zero) and
 * folds them into one delta per (account, asset), sorted by account then
 * asset: the fixed order in which rows are locked and written.
 * Throws on an unbalanced journal: that is a programming error, never user input.
 */
export function journalDeltas(lines: LedgerLine[]): BalanceDelta[] {
  const perAsset = new Map<string, Dec>();
  const deltas = new Map<string, BalanceDelta>();
  for (const line of lines) {
    if (line.amount.isZero()) throw new Error(`ledger: zero amount line for ${line.account} ${line.asset}`);
    if (!line.amount.isFinite()) throw new Error(`ledger: non-finite amount for ${line.account} ${line.asset}`);
    perAsset.set(line.asset, (perAsset.get(line.asset) ?? dec(0)).add(line.amount));
    const key = balanceKey(line.account, line.asset);
    const d = deltas.get(key) ?? { account: line.account, asset: line.asset, available: dec(0), locked: dec(0) };
    const bucket: Bucket = line.bucket;
    d[bucket] = d[bucket].add(line.amount);
    deltas.set(key, d);
  }
  for (const [asset, sum] of perAsset) {
    if (!sum.isZero()) throw new Error(`ledger: journal does not balance for ${asset} (off by ${sum.toFixed()})`);
  }
  return [...deltas.values()].sort((a, b) => compareKeys(a, b));
}

export function compareKeys(a: { account: string; asset: string }, b: { account: string; asset: string }): number {
  if (a.account !== b.account) return a.account < b.account ? -1 : 1;
  if (a.asset !== b.asset) return a.asset < b.asset ? -1 : 1;
  return 0;
}
