import type { EntityManager } from 'typeorm';

/** A row to have: its key in this process's memory, and the two key columns the INSERT takes. */
export interface EnsuredRow {
  key: string;
  columns: [string, string];
}

/**
 * Rows of a table whose rows are never deleted (balance rows, position cost
 * rows), created at their column defaults when missing, in a statement of
 * their own that takes no lock a caller holds afterwards. A process remembers
 * which exist, so the hot path skips the INSERT for rows it has seen.
 */
export class EnsuredRows {
  private readonly known = new Set<string>();

  /** `insertSql` inserts `unnest($1, $2)` with ON CONFLICT DO NOTHING. */
  constructor(
    private readonly insertSql: string,
    private readonly limit = 100_000,
  ) {}

  async ensure(em: EntityManager, rows: EnsuredRow[]): Promise<void> {
    const missing = rows.filter((r) => !this.known.has(r.key));
    if (!missing.length) return;
    await em.query(this.insertSql, [missing.map((r) => r.columns[0]), missing.map((r) => r.columns[1])]);
    // Inside a transaction that later rolls back, a row created here disappears again: remember
    // only rows that existed or were created outside any transaction.
    if (em.queryRunner?.isTransactionActive) return;
    if (this.known.size + missing.length > this.limit) this.known.clear();
    for (const r of missing) this.known.add(r.key);
  }
}
