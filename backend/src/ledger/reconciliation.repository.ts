import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ReconciliationCheck } from './reconciliation';

const LIMIT = 50;

/** Runs one read on a connection of its choosing. */
type Within = (read: (q: Pick<DataSource, 'query'>) => Promise<unknown>) => Promise<unknown>;

/**
 * Every invariant of the ledger, checked against the database:
 * 1. each journal's entries sum to zero per asset;
 * 2. each balance (per bucket; a platform account's is the sum of its shard rows) equals the sum of its
 *    account's entries, and no entries lack a balance row;
 * 3. no user or platform-fee balance row (shard) is negative;
 * 4. every journal has entries;
 * 5. an open order's reservation is within the user's locked balance of that asset.
 */
@Injectable()
export class ReconciliationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * `within` runs each check's one statement (the ledger check: each in a transaction of its own, unbounded by the
   * statement timeout; one after another, so that on the embedded database's one connection requests go on between
   * them); by default on the data source.
   */
  async checks(within: Within = (read) => read(this.dataSource)): Promise<ReconciliationCheck[]> {
    const run = async (name: string, sql: string, line: (r: Record<string, string>) => string): Promise<ReconciliationCheck> => {
      const rows = (await within((q) => q.query(sql))) as Record<string, string>[];
      return { name, violations: rows.slice(0, LIMIT).map(line), count: rows.length };
    };
    return [
      await run(
        'journals balance per asset',
        `SELECT journal_id, asset, sum(amount)::text AS off FROM ledger_entries GROUP BY journal_id, asset HAVING sum(amount) <> 0`,
        (r) => `journal ${r.journal_id} ${r.asset} is off by ${r.off}`,
      ),
      await run(
        'balances equal the sum of their entries',
        `WITH sums AS (
           SELECT account, asset,
                  coalesce(sum(amount) FILTER (WHERE bucket = 'available'), 0) AS available,
                  coalesce(sum(amount) FILTER (WHERE bucket = 'locked'), 0) AS locked
           FROM ledger_entries GROUP BY account, asset
         ), bal AS (
           SELECT account, asset, sum(available) AS available, sum(locked) AS locked FROM balances GROUP BY account, asset
         )
         SELECT coalesce(b.account, s.account) AS account, coalesce(b.asset, s.asset) AS asset,
                coalesce(b.available, 0)::text AS bal_available, coalesce(s.available, 0)::text AS sum_available,
                coalesce(b.locked, 0)::text AS bal_locked, coalesce(s.locked, 0)::text AS sum_locked
         FROM bal b FULL OUTER JOIN sums s ON s.account = b.account AND s.asset = b.asset
         WHERE coalesce(b.available, 0) <> coalesce(s.available, 0) OR coalesce(b.locked, 0) <> coalesce(s.locked, 0)`,
        (r) => `${r.account} ${r.asset}: balance available ${r.bal_available} / locked ${r.bal_locked}, entries say ${r.sum_available} / ${r.sum_locked}`,
      ),
      await run(
        'no negative user or fee balances',
        `SELECT account, asset, shard, available::text, locked::text FROM balances
         WHERE account NOT IN ('platform:treasury', 'external:deposits', 'external:withdrawals') AND (available < 0 OR locked < 0)`,
        (r) => `${r.account} ${r.asset}${Number(r.shard) ? ` shard ${r.shard}` : ''} is negative: available ${r.available}, locked ${r.locked}`,
      ),
      await run(
        'every journal has entries',
        `SELECT j.id, j.reference FROM ledger_journals j WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.journal_id = j.id)`,
        (r) => `journal ${r.id} (${r.reference}) has no entries`,
      ),
      await run(
        'open order reservations are held',
        `SELECT o.user_id, o.reserved_asset AS asset, sum(o.reserved_amount)::text AS reserved, coalesce(max(b.locked), 0)::text AS locked
         FROM orders o LEFT JOIN balances b ON b.account = 'user:' || o.user_id AND b.asset = o.reserved_asset AND b.shard = 0
         WHERE o.status = 'open' GROUP BY o.user_id, o.reserved_asset
         HAVING sum(o.reserved_amount) > coalesce(max(b.locked), 0)`,
        (r) => `user ${r.user_id} reserves ${r.reserved} ${r.asset} in open orders but has only ${r.locked} locked`,
      ),
    ];
  }
}
