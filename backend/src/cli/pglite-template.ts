import 'reflect-metadata';
import { ensurePgliteTemplates } from '../database/pglite-migrated-template';

/**
 * Makes the embedded database's templates (database/pglite-template.ts) that are missing or stale, so a first
 * `npm start` copies in a cluster with every migration applied. Run by the backend's build (backend/scripts/build.mjs,
 * also at `npm install` through prepare), which passes `--sources-hash` (a hash of the migration files) when the
 * migration set may have changed; `--force` makes the migrated template again anyway.
 *
 *   node backend/dist/cli/pglite-template.js [--sources-hash HASH] [--force]
 */
const args = process.argv.slice(2);
const at = args.indexOf('--sources-hash');
const sourcesHash = at >= 0 ? args[at + 1] : undefined;
ensurePgliteTemplates({ sourcesHash, force: args.includes('--force') }).then(
  ({ initdb, migrated }) => {
    process.stdout.write(`${initdb.created ? 'made' : 'kept'} embedded database template ${initdb.path}\n`);
    process.stdout.write(`${migrated.created ? `made (${migrated.applied.length} migrations applied)` : 'kept'} embedded database template ${migrated.path}\n`);
  },
  (e: unknown) => {
    // Not fatal: without the migrated template the first boot runs the migrations (and initdb without either) itself.
    process.stderr.write(`could not make the embedded database template: ${(e as Error)?.stack ?? String(e)}\n`);
  },
);
