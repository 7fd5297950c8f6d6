import { strToU8, zipSync, type Zippable } from 'fflate';

/** The rows of one exported table, with the columns they were read with (secret ones already left out). */
export interface ExportedTable {
  table: string;
  columns: string[];
  rows: Record<string, unknown>[];
}

export interface ExportArchiveInput {
  userId: string;
  exportId: string;
  createdAt: Date;
  tables: ExportedTable[];
  /** Per table, the columns left out as secret material. */
  omitted: Record<string, string[]>;
}

/** A value as JSON and CSV carry it: dates in ISO 8601, binary as base64; numerics and bigints stay the driver's strings. */
export function plainValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(plainValue);
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, plainValue(x)]));
  return v;
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A text a spreadsheet would run as a
 * formula (`=`, `+`, `@`, a tab or carriage return first; `-` not followed by a digit) gets a leading `'`.
 */
export function csvField(v: unknown): string {
  const plain = plainValue(v);
  if (plain === null) return '';
  let s = typeof plain === 'object' ? JSON.stringify(plain) : String(plain);
  if (/^[=+@\t\r]/.test(s) || /^-(?![\d.])/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(t: ExportedTable): string {
  const lines = [t.columns.map(csvField).join(',')];
  for (const row of t.rows) lines.push(t.columns.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

const README = (input: ExportArchiveInput): string =>
  [
    'CryptoVault: your data',
    '',
    `Account: ${input.userId}`,
    `Export: ${input.exportId}, made ${input.createdAt.toISOString()}`,
    '',
    'data.json holds every row we keep about you, table by table ("tables"); tables/<name>.csv holds the same rows,',
    'one file per table. Amounts are decimal strings, times are UTC (ISO 8601), binary values are base64.',
    'Secret material is never included: password and two-factor secrets, hashes of backup codes, links and tokens',
    '("omittedColumns" names each column left out).',
    '',
  ].join('\n');

/** The zip of an export: README.txt, data.json and one CSV per table. */
export function buildExportArchive(input: ExportArchiveInput): Buffer {
  const tables: Record<string, unknown[]> = {};
  for (const t of input.tables) tables[t.table] = t.rows.map((r) => plainValue(r));
  const json = {
    format: 1,
    userId: input.userId,
    exportId: input.exportId,
    createdAt: input.createdAt.toISOString(),
    omittedColumns: input.omitted,
    tables,
  };
  const files: Zippable = {
    'README.txt': strToU8(README(input)),
    'data.json': strToU8(JSON.stringify(json, null, 2)),
  };
  for (const t of input.tables) files[`tables/${t.table}.csv`] = strToU8(toCsv(t));
  const mtime = input.createdAt;
  return Buffer.from(zipSync(files, { level: 6, mtime }));
}
