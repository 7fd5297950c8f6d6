/**
 * What `npm run schema:check` (cli/schema-check.ts) accepts when it compares the schema the
 * migrations build with the entities, each with its reason. No blanket ignores: a new entry names
 * one table (or one statement) and says why.
 */

/**
 * The migrations are the one source of constraints, indexes and column defaults (the app never
 * runs `synchronize`); an entity describes its table's columns — names, types, lengths, precision,
 * nullability — and may leave those out. TypeORM's schema builder proposes to drop whatever an
 * entity does not repeat: these three kinds of statement are that and nothing else. Anything an
 * entity says differently (a column missing, another type or length, nullability, a default or an
 * index of its own) shows up as another statement and fails the check.
 */
export const MIGRATION_ONLY_DETAIL: { kind: string; statement: RegExp }[] = [
  { kind: 'a constraint (foreign key, check, unique) only the migration declares', statement: /^ALTER TABLE "\w+" DROP CONSTRAINT "\w+"$/ },
  { kind: 'an index only the migration declares', statement: /^DROP INDEX "public"\."\w+"$/ },
  { kind: 'a column default only the migration declares', statement: /^ALTER TABLE "\w+" ALTER COLUMN "\w+" DROP DEFAULT$/ },
];

/** Tables the migrations create that no entity describes, each with the reason it may stay so. */
export const TABLES_WITHOUT_ENTITY: Record<string, string> = {
  migrations: "TypeORM's own record of applied migrations",
};

/** Schema-builder statements that are real disagreements, allowed for a stated reason until fixed. None today. */
export const SCHEMA_CHECK_ALLOWED: { statement: RegExp; reason: string }[] = [];

export function migrationOnlyKind(statement: string): string | undefined {
  return MIGRATION_ONLY_DETAIL.find((d) => d.statement.test(statement))?.kind;
}

/** The statements that are neither migration-only detail nor an allowed difference: each one is a disagreement. */
export function unexplainedStatements(statements: string[]): string[] {
  return statements.filter((s) => !migrationOnlyKind(s) && !SCHEMA_CHECK_ALLOWED.some((a) => a.statement.test(s)));
}
