/** Anything with TypeORM's `query` (a DataSource, an EntityManager, a QueryRunner). */
interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * The rows of a raw query. TypeORM's postgres driver answers UPDATE and
 * DELETE (even with RETURNING) as `[rows, rowCount]` but SELECT and INSERT as
 * plain rows; this always gives the rows, so `UPDATE … RETURNING` can be
 * checked with `.length`.
 */
export async function queryRows<T>(db: Queryable, sql: string, parameters?: unknown[]): Promise<T[]> {
  const result = await db.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
