/**
 * Extra parts of the journal statement, handed to the ledger as VALUES by the
 * domain that owns their tables (orders: the order rows and the cost basis).
 * The ledger never calls back into its callers: it renumbers each part's
 * placeholders after its own parameters and runs the parts inside its one
 * statement, after the journals `j` are written (a part depends on them by
 * selecting FROM j, e.g. `WHERE (SELECT count(*) FROM j) > 0`).
 */
export interface StatementPart {
  /** Each `name AS (… RETURNING …)`; placeholders are `$1…$n` of this part's own `params`. */
  ctes: { name: string; sql: string }[];
  params: unknown[];
}

/** The parts and what the statement returns (e.g. `SELECT * FROM o`, naming a part's CTE). */
export interface StatementExtension {
  parts: StatementPart[];
  select: string;
}

/** Builds one part: `bind(value)` adds a parameter and returns its placeholder within the part. */
export function statementPart(build: (bind: (value: unknown) => string) => { name: string; sql: string }[]): StatementPart {
  const params: unknown[] = [];
  const ctes = build((value) => `$${params.push(value)}`);
  return { ctes, params };
}

/** A part's SQL with its placeholders moved `offset` places on. */
export function shiftPlaceholders(sql: string, offset: number): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
}
