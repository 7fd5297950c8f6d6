import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { AppError, conflict, unprocessable } from '../common/errors/app-error';
import { formatAmount } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { AppConfig } from '../config/config.service';
import { pgErrorCode } from '../database/transaction';
import type { Tx } from '../database/unit-of-work';
import { BalanceDelta, compareKeys, journalDeltas } from './ledger-math';
import { BalanceKeyPair, LedgerRepository, RowDelta } from './ledger.repository';
import { balanceKey, BalanceRow, CONTRA_ACCOUNTS, EntryKind, JournalInput, LedgerLine, SHARDED_ACCOUNTS } from './ledger.types';
import type { StatementExtension } from './statement-parts';

export type { BalanceKeyPair, RowDelta };

export type LockedBalances = Map<string, BalanceRow>;

export interface HoldInput {
  account: string;
  asset: string;
  amount: Dec;
  type: string;
  reference: string;
  userId?: string | null;
  description?: string;
}

export const insufficientFunds = (asset: string, needed?: Dec, available?: Dec): AppError =>
  unprocessable(
    'INSUFFICIENT_FUNDS',
    `Insufficient ${asset} balance`,
    needed && available ? [{ field: asset, message: `needs ${formatAmount(needed, asset)}, available ${formatAmount(available, asset)}` }] : undefined,
  );

/**
 * The double-entry ledger. Every movement of money is one journal whose
 * entries sum to zero per asset; the `balances` table is the materialised sum
 * of the entries and changes only in the same statement that writes them.
 *
 * Recipes for the modules that move money in and out (one journal each, the
 * reference unique per event, so a replayed IPN or completion is refused
 * with 409 ALREADY_EXISTS instead of crediting twice):
 * - deposit credited: user available +amount (kind deposit), external:deposits −amount;
 * - withdrawal requested: `hold` (available → locked), reference `withdrawal:<id>:hold`;
 * - withdrawal completed: user locked −amount (kind withdrawal), external:withdrawals +amount;
 * - withdrawal rejected or cancelled: `release` (locked → available).
 *
 * Locking discipline (no deadlocks): a transaction first locks the rows of
 * user accounts it touches, in (account, asset) order, with
 * `SELECT ... FOR UPDATE`; platform and contra rows are written last by one
 * upsert sorted by (account, asset, shard), so they are held only until
 * commit and never while waiting for a user row.
 *
 * The platform accounts (`SHARDED_ACCOUNTS`) have N rows per asset
 * (LEDGER_PLATFORM_SHARDS): a journal credits or debits one shard, chosen
 * round-robin, so trades of different users write different rows. Their
 * balance is the sum of the shards. The treasury is a contra account (negative
 * by meaning, no CHECK), so any shard may take its debits; a debit of
 * `platform:fees` (never negative) locks all its shards in shard order after
 * the user rows, checks their sum and takes the amount from them in turn.
 */
@Injectable()
export class LedgerService {
  private readonly shards: number;
  private nextShard: number;

  constructor(
    config: AppConfig,
    private readonly repo: LedgerRepository,
  ) {
    this.shards = config.get('ledgerPlatformShards');
    // Instances start at different shards, so they do not all begin on shard 0.
    this.nextShard = randomInt(this.shards);
  }

  /**
   * Locks the balance rows of these (account, asset) pairs, creating missing
   * rows at zero, in the fixed order. Returns the current values.
   */
  async lock(tx: Tx, pairs: BalanceKeyPair[]): Promise<LockedBalances> {
    const wanted = dedupe(pairs);
    const sharded = wanted.find((p) => SHARDED_ACCOUNTS.has(p.account));
    if (sharded) throw new Error(`ledger: ${sharded.account} is sharded and cannot be locked as one row`);
    // Create missing rows first, holding no lock yet: creating one after locking
    // another would take locks out of order (and deadlock with a concurrent trade).
    await this.repo.createMissingRows(tx, wanted);
    return this.repo.lockRows(tx, wanted);
  }

  /**
   * Posts a journal: checks it balances, checks (on the rows the caller
   * locked, or locks them now) that no non-contra account goes negative,
   * then writes the journal, its entries and every balance change in ONE
   * statement. Returns the journal id.
   */
  async post(tx: Tx, input: JournalInput, locked?: LockedBalances): Promise<string> {
    const lines = input.lines.filter((l) => !l.amount.isZero());
    const deltas = journalDeltas(lines);
    const userPairs = deltas.filter((d) => d.account.startsWith('user:'));
    const current = locked ?? (userPairs.length ? await this.lock(tx, userPairs) : new Map<string, BalanceRow>());
    for (const d of deltas) {
      if (CONTRA_ACCOUNTS.has(d.account) || !d.account.startsWith('user:')) continue;
      const row = current.get(balanceKey(d.account, d.asset));
      if (!row) throw new Error(`ledger: ${d.account} ${d.asset} was not locked before posting`);
      if (row.available.add(d.available).isNegative()) throw insufficientFunds(d.asset, d.available.neg(), row.available);
      if (row.locked.add(d.locked).isNegative()) throw insufficientFunds(d.asset, d.locked.neg(), row.locked);
    }
    // Rows the caller locked are updated in place; the others (platform and contra
    // accounts) are upserted. Not one upsert for all: PostgreSQL checks the CHECK
    // constraint on the proposed insert row, so a debit cannot go through INSERT.
    // A debit of a sharded non-contra account is spread over its shards, which it locks.
    const shard = this.pickShard();
    const updates: RowDelta[] = [];
    const upserts: RowDelta[] = [];
    for (const d of deltas) {
      if (current.has(balanceKey(d.account, d.asset))) updates.push({ ...d, shard: 0 });
      else if (isShardedDebit(d)) {
        const spread = await this.spreadShardedDebit(tx, d);
        updates.push(...spread.updates);
        upserts.push(...spread.upserts);
      } else upserts.push({ ...d, shard: SHARDED_ACCOUNTS.has(d.account) ? shard : 0 });
    }
    try {
      const id = await this.repo.insertJournal(tx, input, lines, updates, upserts);
      // Keep the caller's snapshot in step with what was written.
      for (const d of deltas) {
        const r = current.get(balanceKey(d.account, d.asset));
        if (r) current.set(balanceKey(d.account, d.asset), { available: r.available.add(d.available), locked: r.locked.add(d.locked) });
      }
      return id;
    } catch (e) {
      throw ledgerError(e, deltas[0]?.asset ?? '');
    }
  }

  /**
   * Posts journals in ONE statement that takes no lock beforehand: the hot
   * path of market orders (one journal per order; several when orders
   * arrived together, see MarketOrderBatcher). Inside or outside a
   * transaction; outside, the statement commits by itself, so the rows every
   * trade shares (the treasury, `platform:fees`) are held only while it runs,
   * never across a round trip to the app.
   * - the journals' deltas are summed per balance row; rows that can be
   *   debited (user accounts, non-contra rows with a negative delta) are
   *   locked in (account, asset) order and updated; the balances CHECK
   *   refuses an overdraft (→ 422 INSUFFICIENT_FUNDS: with several journals,
   *   the whole statement is refused and the caller posts them one by one),
   *   and READ COMMITTED re-reads a row a concurrent trade changed before
   *   applying the delta, so concurrent debits can never overspend;
   * - then the journals, their entries and the `extension`'s parts: values
   *   the caller built over its own tables (order rows, cost basis), which
   *   depend on the journals `j`; last the credit-only platform and contra
   *   rows by one sorted upsert: the same lock order as `lock` + `post`.
   * The rows to update are created (at zero) beforehand if missing, in their
   * own statement; a process remembers which exist. Returns the rows of
   * `extension.select`.
   */
  async postManyInOneStatement<T = Record<string, unknown>>(tx: Tx, inputs: JournalInput[], extension: StatementExtension): Promise<T[]> {
    if (!inputs.length) throw new Error('ledger: no journal to post');
    const journals = inputs.map((input) => {
      const lines = input.lines.filter((l) => !l.amount.isZero());
      journalDeltas(lines); // each journal balances on its own
      return { input, lines };
    });
    const deltas = journalDeltas(journals.flatMap((j) => j.lines));
    const debitable = (d: (typeof deltas)[number]): boolean =>
      d.account.startsWith('user:') || (!CONTRA_ACCOUNTS.has(d.account) && (d.available.isNegative() || d.locked.isNegative()));
    const sharded = deltas.find(isShardedDebit);
    if (sharded) throw new Error(`ledger: a debit of ${sharded.account} must lock its shards: post it with post()`);
    const shard = this.pickShard();
    const updates = deltas.filter(debitable).map((d) => ({ ...d, shard: 0 }));
    const upserts = deltas.filter((d) => !debitable(d)).map((d) => ({ ...d, shard: SHARDED_ACCOUNTS.has(d.account) ? shard : 0 }));
    await this.repo.ensureRows(tx, updates);
    try {
      return await this.repo.postMany<T>(tx, journals, updates, upserts, extension);
    } catch (e) {
      // Inside a transaction the repository rolled back to before the statement: read why on the same connection.
      if (pgErrorCode(e) === '23514') throw await this.overdraft(tx, updates);
      throw ledgerError(e, deltas[0]?.asset ?? '');
    }
  }

  /** Reserves funds: available → locked on the same account. */
  hold(tx: Tx, h: HoldInput, locked?: LockedBalances): Promise<string> {
    return this.post(tx, { ...h, lines: this.moveLines(h, 'available', 'locked', 'hold') }, locked);
  }

  /** Gives a reservation back: locked → available. */
  release(tx: Tx, h: HoldInput, locked?: LockedBalances): Promise<string> {
    return this.post(tx, { ...h, lines: this.moveLines(h, 'locked', 'available', 'release') }, locked);
  }

  /** Current balances of an account (no lock); through `tx` inside a transaction. */
  balancesOf(account: string, tx?: Tx): Promise<{ asset: string; available: string; locked: string; updatedAt: Date }[]> {
    return this.repo.balancesOf(account, tx);
  }

  /** The shard the next journal writes the platform accounts' rows to: round-robin, so concurrent trades spread over all of them. */
  private pickShard(): number {
    const shard = this.nextShard;
    this.nextShard = (shard + 1) % this.shards;
    return shard;
  }

  /**
   * Takes a debit of a sharded account that must not go negative from its
   * shards: locks them all (shard order; after the user rows, like every
   * platform row), refuses when their sum is short, else debits shard after
   * shard. A credit to the other bucket in the same delta goes to shard 0.
   */
  private async spreadShardedDebit(tx: Tx, d: BalanceDelta): Promise<{ updates: RowDelta[]; upserts: RowDelta[] }> {
    const rows = await this.repo.lockShards(tx, d.account, d.asset);
    const taken = new Map<number, RowDelta>();
    const credit: RowDelta = { account: d.account, asset: d.asset, shard: 0, available: dec(0), locked: dec(0) };
    for (const bucket of ['available', 'locked'] as const) {
      if (!d[bucket].isNegative()) {
        credit[bucket] = d[bucket];
        continue;
      }
      const total = rows.reduce((sum, r) => sum.add(r[bucket]), dec(0));
      if (total.add(d[bucket]).isNegative()) throw insufficientFunds(d.asset, d[bucket].neg(), total);
      let owed = d[bucket].neg();
      for (const r of rows) {
        if (owed.isZero()) break;
        const take = Dec.min(r[bucket], owed);
        if (!take.isPositive()) continue;
        const t = taken.get(r.shard) ?? { account: d.account, asset: d.asset, shard: r.shard, available: dec(0), locked: dec(0) };
        t[bucket] = t[bucket].sub(take);
        taken.set(r.shard, t);
        owed = owed.sub(take);
      }
    }
    return { updates: [...taken.values()], upserts: credit.available.isZero() && credit.locked.isZero() ? [] : [credit] };
  }

  private moveLines(h: HoldInput, from: 'available' | 'locked', to: 'available' | 'locked', kind: EntryKind): LedgerLine[] {
    return [
      { account: h.account, asset: h.asset, amount: h.amount.neg(), bucket: from, kind },
      { account: h.account, asset: h.asset, amount: h.amount, bucket: to, kind },
    ];
  }

  /**
   * The INSUFFICIENT_FUNDS of a refused debit, with what was needed and what is available now.
   * On `tx`: its transaction, if any, was rolled back to before the refused statement; never
   * through another connection while this one is held (one request would hang PGlite).
   */
  private async overdraft(tx: Tx, debits: BalanceDelta[]): Promise<AppError> {
    const now = await this.repo.currentRows(tx, debits);
    for (const d of debits) {
      const row = now.get(balanceKey(d.account, d.asset)) ?? { available: dec(0), locked: dec(0) };
      if (row.available.add(d.available).isNegative()) return insufficientFunds(d.asset, d.available.neg(), row.available);
      if (row.locked.add(d.locked).isNegative()) return insufficientFunds(d.asset, d.locked.neg(), row.locked);
    }
    // Refused against a balance that has grown since: name the first asset debited.
    return insufficientFunds(debits.find((d) => d.available.isNegative() || d.locked.isNegative())?.asset ?? debits[0]?.asset ?? '');
  }
}

/** A debit of an account spread over shards that must not go negative (`platform:fees`). */
function isShardedDebit(d: BalanceDelta): boolean {
  return SHARDED_ACCOUNTS.has(d.account) && !CONTRA_ACCOUNTS.has(d.account) && (d.available.isNegative() || d.locked.isNegative());
}

function dedupe(pairs: BalanceKeyPair[]): BalanceKeyPair[] {
  const seen = new Map<string, BalanceKeyPair>();
  for (const p of pairs) seen.set(balanceKey(p.account, p.asset), { account: p.account, asset: p.asset });
  return [...seen.values()].sort(compareKeys);
}

/** Database refusals a client can cause, as their 422s; everything else stays an internal error. */
export function ledgerError(e: unknown, asset: string): unknown {
  const code = pgErrorCode(e);
  if (
    code === '23505' &&
    /ledger_journals_reference_key/.test(String((e as { driverError?: { constraint?: string } }).driverError?.constraint ?? (e as Error).message))
  ) {
    return conflict('ALREADY_EXISTS', 'This movement was already recorded');
  }
  if (code === '23514') return insufficientFunds(asset);
  if (code === '22003') return unprocessable('LIMIT_EXCEEDED', 'The amount is larger than an account can hold');
  return e;
}
