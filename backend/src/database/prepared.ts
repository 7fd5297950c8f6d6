import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { pgErrorCode } from './transaction';

/**
 * A query to run as a named prepared statement: `pg` parses it once per
 * connection (PostgreSQL then plans it once, or keeps a generic plan), and
 * later calls send only Bind and Execute. TypeORM hands its `query` argument
 * to the driver untouched, and `pg` takes a `{ name, text }` config in place
 * of the SQL string; the PGlite driver reads `text` (PGlite has one session
 * and no statement cache to gain from).
 *
 * For hot statements only (market orders): their text is the same on every
 * call, only the parameters change. The name is a hash of the text, so two
 * texts never share a name.
 */
export interface PreparedQuery {
  readonly name: string;
  readonly text: string;
  toString(): string;
}

/** Texts seen, so the hash is computed once per text rather than once per call. Hot statements are few. */
const known = new Map<string, PreparedQuery>();
const KNOWN_LIMIT = 256;

export function preparedQuery(text: string): PreparedQuery {
  let q = known.get(text);
  if (!q) {
    if (known.size >= KNOWN_LIMIT) known.clear();
    q = { name: `cv_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text, toString: () => text };
    known.set(text, q);
  }
  return q;
}

/** The SQL of a query argument a driver received: a string, or a prepared query's text. */
export function sqlText(query: string | PreparedQuery): string {
  return typeof query === 'string' ? query : query.text;
}

/**
 * Runs `text` as a prepared statement on `em`. A statement prepared before a
 * migration changed a table's columns fails once with "cached plan must not
 * change result type" (0A000); outside a transaction it is then run unprepared.
 */
export async function queryPrepared<T>(em: EntityManager, text: string, params: unknown[]): Promise<T> {
  try {
    return (await em.query(preparedQuery(text) as unknown as string, params)) as T;
  } catch (e) {
    if (pgErrorCode(e) !== '0A000' || em.queryRunner?.isTransactionActive) throw e;
    return (await em.query(text, params)) as T;
  }
}
