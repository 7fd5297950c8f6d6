import { ensurePgliteTemplate } from '../database/pglite-template';

/** Run at `npm install` (prepare): pre-initialises the embedded database cluster so the first `npm start` is fast. */
ensurePgliteTemplate().then(
  ({ path, created }) => process.stdout.write(`${created ? 'made' : 'kept'} embedded database template ${path}\n`),
  (e: unknown) => {
    // Not fatal: without a template the first boot runs initdb itself.
    process.stderr.write(`could not make the embedded database template: ${(e as Error).message}\n`);
  },
);
