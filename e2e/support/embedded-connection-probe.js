// Run by e2e/api/security/security-database.e2e-spec.ts as its own process (PGlite loads its WebAssembly
// through a dynamic import that jest's runtime cannot do): drives the built database layer on a
// real in-memory embedded database with one connection, waiting at most 300 ms for it, with the
// connection guard installed, and prints what happened as one JSON line.
const { join } = require('node:path');
const dist = join(__dirname, '..', '..', 'backend', 'dist', 'database');
const { DataSource } = require('typeorm');
const { createPgliteDriver } = require(join(dist, 'pglite-driver.js'));
const { installConnectionGuard } = require(join(dist, 'connection-guard.js'));
const { inTransaction } = require(join(dist, 'transaction.js'));

const outcome = (p) =>
  p.then(
    (value) => ({ ok: true, value }),
    (e) => ({ ok: false, name: e.name, status: e.status, code: e.code, headers: e.headers, message: e.message }),
  );

(async () => {
  const ds = new DataSource({ type: 'postgres', driver: createPgliteDriver(undefined, 300), synchronize: false, logging: false });
  await ds.initialize();
  installConnectionGuard(ds);
  await ds.query('CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)');
  await ds.query('INSERT INTO counters VALUES (1, 0)');
  const result = {};

  // The mistake the guard exists for: asking the data source (a second connection) inside a transaction.
  result.secondConnection = await outcome(
    inTransaction(ds, async (em) => {
      await em.query('UPDATE counters SET n = n + 1 WHERE id = 1');
      await ds.query('SELECT n FROM counters WHERE id = 1');
    }),
  );
  result.afterRefusal = await ds.query('SELECT n FROM counters WHERE id = 1');

  // Work a transaction starts but does not await runs once it has committed.
  let afterCommit;
  await inTransaction(ds, async (em) => {
    await em.query('UPDATE counters SET n = n + 1 WHERE id = 1');
    afterCommit = new Promise((r) => setTimeout(r, 50)).then(() => ds.query('SELECT n FROM counters WHERE id = 1'));
  });
  result.afterCommit = await outcome(afterCommit);

  // A caller that waits longer than the bound for the one connection gets 503 DATABASE_BUSY.
  let finish;
  const holder = inTransaction(ds, async (em) => {
    await em.query('SELECT 1');
    await new Promise((r) => (finish = r));
  });
  await new Promise((r) => setTimeout(r, 20));
  result.busy = await outcome(ds.query('SELECT 1 AS one'));
  finish();
  await holder;
  result.afterBusy = await outcome(ds.query('SELECT 1 AS one'));
  await ds.destroy();
  process.stdout.write(`${JSON.stringify(result)}\n`);
})().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
