import type { Dec } from '../common/money/decimal';

export type Bucket = 'available' | 'locked';
/** What an entry means to the account holder; `hold`/`release` only move money between a user's own buckets. */
export type EntryKind = 'deposit' | 'withdrawal' | 'trade' | 'fee' | 'refund' | 'adjustment' | 'hold' | 'release';

export const PLATFORM_FEES = 'platform:fees';
export const PLATFORM_TREASURY = 'platform:treasury';
export const EXTERNAL_DEPOSITS = 'external:deposits';
export const EXTERNAL_WITHDRAWALS = 'external:withdrawals';
/** Accounts holding the other side of movements to and from the outside world: negative by meaning. */
export const CONTRA_ACCOUNTS: ReadonlySet<string> = new Set([PLATFORM_TREASURY, EXTERNAL_DEPOSITS, EXTERNAL_WITHDRAWALS]);

/**
 * Accounts whose balance is spread over several rows (`shard` 0..N-1) and is
 * their sum: every trade writes them, and one row would serialise all trades.
 */
export const SHARDED_ACCOUNTS: ReadonlySet<string> = new Set([PLATFORM_FEES, PLATFORM_TREASURY]);

export const userAccount = (userId: string): string => `user:${userId}`;

export interface LedgerLine {
  account: string;
  asset: string;
  /** Signed: positive credits the account, negative debits it. */
  amount: Dec;
  bucket: Bucket;
  kind: EntryKind;
}

export interface JournalInput {
  /** Business event: trade, order_hold, order_cancel, adjustment, deposit, withdrawal… */
  type: string;
  /** Unique per business event (`order:<id>:fill`): the same event can never be posted twice. */
  reference: string;
  /** The user the journal is about (for the user-facing transaction list). */
  userId?: string | null;
  description?: string;
  lines: LedgerLine[];
}

export interface BalanceRow {
  available: Dec;
  locked: Dec;
}

export const balanceKey = (account: string, asset: string): string => `${account}|${asset}`;
