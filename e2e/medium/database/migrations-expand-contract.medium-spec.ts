import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Migrations are expand/contract (docs/UPGRADES.md): two replicas migrate at boot while the other
 * still runs the previous release, so a migration added after the release in
 * e2e/fixtures/previous-release.sql may only add. A destructive statement (dropping or renaming a
 * table or column, changing a column's type, making an existing column NOT NULL, adding a NOT NULL
 * column without a default) belongs to a contract step, marked in the migration with a comment
 *
 *   // CONTRACT: <what goes> — unused since release <release>
 *
 * naming the release that stopped using it (which must already be the previous release).
 */
const MIGRATIONS = join(__dirname, '..', '..', '..', 'backend', 'src', 'database', 'migrations');
const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'previous-release.sql');
const CONTRACT_MARK = /CONTRACT:.*\bunused since release\s+\S+/;

const DESTRUCTIVE: [string, RegExp][] = [
  ['DROP TABLE', /\bDROP\s+TABLE\b/i],
  ['DROP COLUMN', /\bDROP\s+COLUMN\b/i],
  ['RENAME', /\bRENAME\b/i],
  ['ALTER … TYPE', /\bALTER\s+COLUMN\s+"?\w+"?\s+(SET\s+DATA\s+)?TYPE\b/i],
  ['SET NOT NULL', /\bSET\s+NOT\s+NULL\b/i],
  ['QueryRunner drop/rename/change', /\.(dropTable|dropColumns?|renameTable|renameColumn|changeColumns?)\(/],
];

/** The destructive statements in a migration's `up` (its `down` undoes it and may drop anything). */
export function destructiveStatements(source: string): string[] {
  const up = /\basync\s+up\s*\(([\s\S]*?)(?=\basync\s+down\s*\(|$)/.exec(source)?.[1] ?? '';
  const code = up.replace(/^\s*--.*$/gm, '').replace(/\/\/.*$/gm, '');
  const found = DESTRUCTIVE.filter(([, re]) => re.test(code)).map(([what]) => what);
  // Each ADD COLUMN clause runs to the next clause of the ALTER TABLE, the statement's end or the string's.
  const added = code
    .split(/\bADD\s+COLUMN\b/i)
    .slice(1)
    .map((rest) => rest.split(/,\s*(?:ADD|ALTER|DROP)\b|;|`/i)[0]);
  if (added.some((clause) => /\bNOT\s+NULL\b/i.test(clause) && !/\bDEFAULT\b/i.test(clause))) found.push('ADD COLUMN … NOT NULL without a default');
  return found;
}

export function isMarkedContract(source: string): boolean {
  return CONTRACT_MARK.test(source);
}

function migrationName(source: string, file: string): string {
  return /\bname\s*=\s*'([^']+)'/.exec(source)?.[1] ?? /export\s+class\s+(\w+)/.exec(source)?.[1] ?? file;
}

/** The migrations the previous release had applied (the rows of its `migrations` table). */
function releasedMigrations(): Set<string> {
  const sql = readFileSync(FIXTURE, 'utf8');
  const rows = /^COPY public\.migrations \(id, "timestamp", name\) FROM stdin;\n([\s\S]*?)^\\\.$/m.exec(sql)?.[1] ?? '';
  return new Set(
    rows
      .split('\n')
      .filter(Boolean)
      .map((r) => r.split('\t')[2]),
  );
}

describe('migrations after the previous release only expand (expand/contract)', () => {
  const released = releasedMigrations();
  const files = readdirSync(MIGRATIONS).filter((f) => /^\d+-.+\.ts$/.test(f));
  const sources = files.map((file) => ({ file, source: readFileSync(join(MIGRATIONS, file), 'utf8') }));

  it('knows which migrations the previous release had (read from the fixture) and finds them all in the tree', () => {
    expect(released.size).toBeGreaterThanOrEqual(11);
    const names = new Set(sources.map(({ file, source }) => migrationName(source, file)));
    expect([...released].filter((n) => !names.has(n))).toEqual([]);
  });

  it('no migration added since contains a destructive statement unless it is a marked contract step', () => {
    const offending = sources
      .filter(({ file, source }) => !released.has(migrationName(source, file)))
      .map(({ file, source }) => ({ file, destructive: destructiveStatements(source), contract: isMarkedContract(source) }))
      .filter((m) => m.destructive.length > 0 && !m.contract);
    expect(offending).toEqual([]);
  });

  it('the check recognises every destructive statement and lets additive ones through', () => {
    const up = (sql: string) => `export class X1 { async up(q) { await q.query(\`${sql}\`); } async down(q) { await q.query(\`DROP TABLE t\`); } }`;
    expect(destructiveStatements(up('DROP TABLE orders_old'))).toEqual(['DROP TABLE']);
    expect(destructiveStatements(up('ALTER TABLE orders DROP COLUMN legacy'))).toEqual(['DROP COLUMN']);
    expect(destructiveStatements(up('ALTER TABLE orders RENAME COLUMN qty TO quantity'))).toEqual(['RENAME']);
    expect(destructiveStatements(up('ALTER TABLE orders ALTER COLUMN fee TYPE numeric(20, 8)'))).toEqual(['ALTER … TYPE']);
    expect(destructiveStatements(up('ALTER TABLE orders ALTER COLUMN fee SET NOT NULL'))).toEqual(['SET NOT NULL']);
    expect(destructiveStatements(up('ALTER TABLE orders ADD COLUMN venue varchar(16) NOT NULL'))).toEqual(['ADD COLUMN … NOT NULL without a default']);
    expect(destructiveStatements('class X { async up(q) { await q.dropColumn("orders", "legacy"); } }')).toEqual(['QueryRunner drop/rename/change']);
    // Additive: new tables, nullable columns, NOT NULL columns with a default, indexes; and `down` is not looked at.
    expect(destructiveStatements(up('CREATE TABLE position_costs (user_id uuid NOT NULL, asset varchar(16) NOT NULL)'))).toEqual([]);
    expect(destructiveStatements(up("ALTER TABLE orders ADD COLUMN venue varchar(16) NOT NULL DEFAULT 'internal', ADD COLUMN note text"))).toEqual([]);
    expect(destructiveStatements(up('CREATE INDEX CONCURRENTLY orders_venue ON orders (venue)'))).toEqual([]);
    expect(isMarkedContract('// CONTRACT: orders.legacy — unused since release a84354f')).toBe(true);
    expect(isMarkedContract('// drops orders.legacy')).toBe(false);
  });
});
