import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError, conflict, unprocessable } from '../common/errors/app-error';
import { formatAmount } from '../common/money/amount-format';
import { Dec, dec } from '../common/money/decimal';
import { pgErrorCode } from '../database/transaction';
import { compareKeys, journalDeltas } from './ledger-math';
import { balanceKey, BalanceRow, CONTRA_ACCOUNTS, EntryKind, JournalInput, LedgerLine } from './ledger.types';

export interface BalanceKeyPair {
  account: string;
  asset: string;
}

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
 * sorted upsert, so they are held only until commit and never while waiting
 * for a user row.
 */
@Injectable()
export class LedgerService {
  /**
   * Locks the balance rows of these (account, asset) pairs, creating missing
   * rows at zero, in the fixed order. Returns the current values.
   */
  async lock(em: EntityManager, pairs: BalanceKeyPair[]): Promise<LockedBalances> {
    const wanted = dedupe(pairs);
    // Create missing rows first, holding no lock yet: creating one after locking
    // another would take locks out of order (and deadlock with a concurrent trade).
    await em.query(
      `INSERT INTO balances (account, asset)
       SELECT * FROM unnest($1::varchar[], $2::varchar[]) ORDER BY 1, 2
       ON CONFLICT DO NOTHING`,
      [wanted.map((p) => p.account), wanted.map((p) => p.asset)],
    );
    return this.selectForUpdate(em, wanted);
  }

  /**
   * Posts a journal: checks it balances, checks (on the rows the caller
   * locked, or locks them now) that no non-contra account goes negative,
   * then writes the journal, its entries and every balance change in ONE
   * statement. Returns the journal id.
   */
  async post(em: EntityManager, input: JournalInput, locked?: LockedBalances): Promise<string> {
    const lines = input.lines.filter((l) => !l.amount.isZero());
    const deltas = journalDeltas(lines);
    const userPairs = deltas.filter((d) => d.account.startsWith('user:'));
    const current = locked ?? (userPairs.length ? await this.lock(em, userPairs) : new Map<string, BalanceRow>());
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
    const updates = deltas.filter((d) => current.has(balanceKey(d.account, d.asset)));
    const upserts = deltas.filter((d) => !current.has(balanceKey(d.account, d.asset)));
    try {
      const [row] = (await em.query(
        `WITH j AS (
           INSERT INTO ledger_journals (type, reference, user_id, description) VALUES ($1, $2, $3, $4)
           RETURNING id, created_at
         ), e AS (
           INSERT INTO ledger_entries (journal_id, account, asset, bucket, kind, amount, created_at)
           SELECT j.id, l.account, l.asset, l.bucket, l.kind, l.amount, j.created_at
           FROM j, unnest($5::varchar[], $6::varchar[], $7::varchar[], $8::varchar[], $9::numeric[]) AS l(account, asset, bucket, kind, amount)
         ), u AS (
           UPDATE balances b SET available = b.available + d.available, locked = b.locked + d.locked, updated_at = now()
           FROM unnest($10::varchar[], $11::varchar[], $12::numeric[], $13::numeric[]) AS d(account, asset, available, locked)
           WHERE b.account = d.account AND b.asset = d.asset
         ), p AS (
           INSERT INTO balances (account, asset, available, locked)
           SELECT * FROM unnest($14::varchar[], $15::varchar[], $16::numeric[], $17::numeric[]) ORDER BY 1, 2
           ON CONFLICT (account, asset) DO UPDATE
             SET available = balances.available + EXCLUDED.available,
                 locked = balances.locked + EXCLUDED.locked,
                 updated_at = now()
         )
         SELECT id FROM j`,
        [
          input.type,
          input.reference,
          input.userId ?? null,
          input.description ?? '',
          lines.map((l) => l.account),
          lines.map((l) => l.asset),
          lines.map((l) => l.bucket),
          lines.map((l) => l.kind),
          lines.map((l) => l.amount.toFixed()),
          ...deltaColumns(updates),
          ...deltaColumns(upserts),
        ],
      )) as { id: string }[];
      // Keep the caller's snapshot in step with what was written.
      for (const d of deltas) {
        const r = current.get(balanceKey(d.account, d.asset));
        if (r) current.set(balanceKey(d.account, d.asset), { available: r.available.add(d.available), locked: r.locked.add(d.locked) });
      }
      return row.id;
    } catch (e) {
      throw ledgerError(e, deltas[0]?.asset ?? '');
    }
  }

  /** Reserves funds: available → locked on the same account. */
  hold(em: EntityManager, h: HoldInput, locked?: LockedBalances): Promise<string> {
    return this.post(em, { ...h, lines: this.moveLines(h, 'available', 'locked', 'hold') }, locked);
  }

  /** Gives a reservation back: locked → available. */
  release(em: EntityManager, h: HoldInput, locked?: LockedBalances): Promise<string> {
    return this.post(em, { ...h, lines: this.moveLines(h, 'locked', 'available', 'release') }, locked);
  }

  /** Current balances of an account (no lock). */
  async balancesOf(em: EntityManager, account: string): Promise<{ asset: string; available: string; locked: string; updatedAt: Date }[]> {
    const rows = (await em.query(`SELECT asset, available, locked, updated_at FROM balances WHERE account = $1 ORDER BY asset`, [account])) as {
      asset: string;
      available: string;
      locked: string;
      updated_at: Date;
    }[];
    return rows.map((r) => ({ asset: r.asset, available: r.available, locked: r.locked, updatedAt: r.updated_at }));
  }

  private moveLines(h: HoldInput, from: 'available' | 'locked', to: 'available' | 'locked', kind: EntryKind): LedgerLine[] {
    return [
      { account: h.account, asset: h.asset, amount: h.amount.neg(), bucket: from, kind },
      { account: h.account, asset: h.asset, amount: h.amount, bucket: to, kind },
    ];
  }

  private async selectForUpdate(em: EntityManager, pairs: BalanceKeyPair[]): Promise<LockedBalances> {
    const rows = (await em.query(
      `SELECT b.account, b.asset, b.available, b.locked
       FROM balances b
       JOIN unnest($1::varchar[], $2::varchar[]) AS k(account, asset) ON b.account = k.account AND b.asset = k.asset
       ORDER BY b.account, b.asset
       FOR UPDATE OF b`,
      [pairs.map((p) => p.account), pairs.map((p) => p.asset)],
    )) as { account: string; asset: string; available: string; locked: string }[];
    return new Map(rows.map((r) => [balanceKey(r.account, r.asset), { available: dec(r.available), locked: dec(r.locked) }]));
  }
}

function deltaColumns(ds: { account: string; asset: string; available: Dec; locked: Dec }[]): string[][] {
  return [ds.map((d) => d.account), ds.map((d) => d.asset), ds.map((d) => d.available.toFixed()), ds.map((d) => d.locked.toFixed())];
}

function dedupe(pairs: BalanceKeyPair[]): BalanceKeyPair[] {
  const seen = new Map<string, BalanceKeyPair>();
  for (const p of pairs) seen.set(balanceKey(p.account, p.asset), { account: p.account, asset: p.asset });
  return [...seen.values()].sort(compareKeys);
}

/** Database refusals a client can cause, as their 422s; everything else stays an internal error. */
export function ledgerError(e: unknown, asset: string): unknown {
  const code = pgErrorCode(e);
  if (code === '23505' && /ledger_journals_reference_key/.test(String((e as { driverError?: { constraint?: string } }).driverError?.constraint ?? (e as Error).message))) {
    return conflict('ALREADY_EXISTS', 'This movement was already recorded');
  }
  if (code === '23514') return insufficientFunds(asset);
  if (code === '22003') return unprocessable('LIMIT_EXCEEDED', 'The amount is larger than an account can hold');
  return e;
}
