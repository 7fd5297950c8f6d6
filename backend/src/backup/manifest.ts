import Decimal from 'decimal.js';

export type BackupDatabaseKind = 'postgresql' | 'pglite';

/** What an archive holds, written inside it (authenticated with the dump) and beside it (to read without the key). */
export interface BackupManifest {
  format: 'cryptovault-backup/1';
  /** When the dump's snapshot was taken (ISO 8601): the recovery point this archive gives. */
  createdAt: string;
  /** The release that made it. */
  appVersion: string;
  database: {
    kind: BackupDatabaseKind;
    /** PostgreSQL's server_version, or the PGlite package version (its data directory only opens in the same one). */
    version: string;
    /** The program that made the dump: `pg_dump (PostgreSQL) 17.2`, or `pglite 0.5.17 dumpDataDir`. */
    tool: string;
  };
  /** The last migration applied to the dumped database, and how many were. */
  schema: { lastMigration: string | null; migrations: number };
  /** What users hold per asset (available + locked; LedgerReader.userLiabilities), decimal strings. */
  ledgerTotals: Record<string, string>;
  /** The dump inside the archive: its format, size and SHA-256 (hex). */
  dump: { format: 'pg_dump-custom' | 'pglite-datadir-tgz'; bytes: number; sha256: string };
}

const DECIMAL = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** Checks a parsed manifest field by field (it came out of a file): throws on anything that is not one. */
export function parseManifest(raw: unknown): BackupManifest {
  const m = raw as BackupManifest;
  const fail = (what: string): never => {
    throw new Error(`${what} is missing or malformed`);
  };
  if (!m || typeof m !== 'object') fail('the manifest');
  if (m.format !== 'cryptovault-backup/1') fail('format');
  if (typeof m.createdAt !== 'string' || Number.isNaN(Date.parse(m.createdAt))) fail('createdAt');
  if (typeof m.appVersion !== 'string') fail('appVersion');
  if (!m.database || !['postgresql', 'pglite'].includes(m.database.kind) || typeof m.database.version !== 'string' || typeof m.database.tool !== 'string') {
    fail('database');
  }
  if (!m.schema || !(m.schema.lastMigration === null || typeof m.schema.lastMigration === 'string') || !Number.isInteger(m.schema.migrations)) fail('schema');
  if (!m.ledgerTotals || typeof m.ledgerTotals !== 'object' || Object.values(m.ledgerTotals).some((v) => typeof v !== 'string' || !DECIMAL.test(v))) {
    fail('ledgerTotals');
  }
  if (
    !m.dump ||
    !['pg_dump-custom', 'pglite-datadir-tgz'].includes(m.dump.format) ||
    !Number.isSafeInteger(m.dump.bytes) ||
    !/^[0-9a-f]{64}$/.test(m.dump.sha256)
  ) {
    fail('dump');
  }
  return m;
}

/** Per asset, as the manifest keeps them: `{ BTC: '1.5', USD: '1200' }` (zero totals left out, as userLiabilities does). */
export function totalsByAsset(rows: { asset: string; amount: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of [...rows].sort((a, b) => a.asset.localeCompare(b.asset))) {
    if (!new Decimal(r.amount).isZero()) out[r.asset] = new Decimal(r.amount).toFixed();
  }
  return out;
}

/** Lines naming every asset whose total differs (compared as decimals: `1.50` equals `1.5`); none when they agree. */
export function compareTotals(expected: Record<string, string>, actual: Record<string, string>): string[] {
  const assets = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return assets
    .filter((a) => !new Decimal(expected[a] ?? '0').equals(new Decimal(actual[a] ?? '0')))
    .map((a) => `${a}: the manifest says ${expected[a] ?? '0'}, the restored ledger has ${actual[a] ?? '0'}`);
}
