import { randomBytes } from 'node:crypto';
import { dec, toFixedString } from '../common/money/decimal';
import { buildTree, type BuiltTree, fromUnits, toUnits } from './merkle-sum-tree';

const USER_ACCOUNT = /^user:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** What one consistent read of the ledger gives a snapshot. */
export interface LedgerRead {
  /** Every user account's total per asset it has a row of (LedgerReader.userBalances). */
  balances: { account: string; asset: string; total: string }[];
  /** The ledger's liabilities per asset (LedgerReader.userLiabilities), read in the same snapshot. */
  liabilities: { asset: string; amount: string }[];
}

export interface SnapshotTree {
  assets: string[];
  tree: BuiltTree<string>;
}

/** The tree did not add up to the ledger's liabilities: nothing is published. */
export class ReconciliationMismatch extends Error {}

/**
 * The leaves of a snapshot (one per user account with a balance row, bound to its user id; zero balances for the
 * assets it holds none of) and their tree, checked against the ledger: the root's sum of every asset must equal the ledger's liabilities of it
 * exactly, or it throws ReconciliationMismatch. Leaves are ordered by a fresh random nonce each, so a leaf's position
 * says nothing of who it is or when they signed up. `nonce` is injectable for tests.
 */
export function buildSnapshotTree(snapshotId: string, read: LedgerRead, nonce: () => Buffer = () => randomBytes(32)): SnapshotTree {
  const assets = [...new Set(read.balances.map((b) => b.asset))].sort();
  const column = new Map(assets.map((a, i) => [a, i]));
  const users = new Map<string, bigint[]>();
  for (const b of read.balances) {
    const m = USER_ACCOUNT.exec(b.account);
    if (!m) throw new ReconciliationMismatch(`a user balance row of an account that is not "user:<uuid>": ${b.account}`);
    let row = users.get(m[1]);
    if (!row) users.set(m[1], (row = new Array<bigint>(assets.length).fill(0n)));
    try {
      row[column.get(b.asset)!] += toUnits(b.total);
    } catch (e) {
      throw new ReconciliationMismatch(`${b.account} ${b.asset}: ${(e as Error).message}`);
    }
  }
  const leaves = [...users].map(([key, balances]) => ({ key, account: key, nonce: nonce(), balances })).sort((a, b) => a.nonce.compare(b.nonce));
  const tree = buildTree(snapshotId, assets, leaves);
  const problems = reconcile(assets, tree.root.sums, read.liabilities);
  if (problems.length) throw new ReconciliationMismatch(`the tree does not equal the ledger's liabilities: ${problems.join('; ')}`);
  return { assets, tree };
}

/** Each asset whose tree total differs from the ledger's liabilities (either side missing counts as 0), in words. */
export function reconcile(assets: readonly string[], sums: readonly bigint[], liabilities: { asset: string; amount: string }[]): string[] {
  const owed = new Map<string, bigint>();
  for (const l of liabilities) {
    const negative = l.amount.trim().startsWith('-');
    const units = toUnits(negative ? l.amount.trim().slice(1) : l.amount);
    owed.set(l.asset, (owed.get(l.asset) ?? 0n) + (negative ? -units : units));
  }
  const all = [...new Set([...assets, ...owed.keys()])].sort();
  return all.flatMap((asset) => {
    const i = assets.indexOf(asset);
    const tree = i >= 0 ? sums[i] : 0n;
    const ledger = owed.get(asset) ?? 0n;
    return tree === ledger ? [] : [`${asset} tree ${fromUnits(tree)} ledger ${ledger < 0n ? `-${fromUnits(-ledger)}` : fromUnits(ledger)}`];
  });
}

/** The reserves figure of one asset from an external reconciliation line: what the provider holds plus payouts under way. */
export function reservesOf(line: { provider: string; inFlight: string } | undefined): string | null {
  if (!line) return null;
  return dec(line.provider).add(dec(line.inFlight)).toFixed();
}

/** reserves ÷ liabilities, rounded down to 4 places; null when either is unknown or nothing is owed. */
export function coverageRatio(reserves: string | null, liabilities: string): string | null {
  if (reserves === null || dec(liabilities).isZero()) return null;
  return toFixedString(dec(reserves).div(dec(liabilities)), 4);
}
