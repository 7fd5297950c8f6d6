import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';

/**
 * The rule "no code path asks for a database connection while it holds one".
 *
 * A transaction holds its connection from BEGIN to COMMIT. If code inside it
 * awaits a query through another connection (`dataSource.query`,
 * `em.connection.query`, a service that uses its own `DataSource`), the
 * transaction cannot finish before that query gets a connection: on the
 * embedded database (one connection) that never happens and the whole server
 * hangs; on PostgreSQL enough such requests at once exhaust the pool.
 *
 * With the guard on (test mode, and so every e2e suite), `inTransaction`
 * marks the async context of its work as holding a connection, and the
 * driver refuses to hand a second connection to that context: the mistake
 * is a loud error in the test that reaches it instead of a hang in
 * production. The mark ends when the transaction does, so work the
 * transaction merely started (an event published after commit) is free.
 */
interface Holding {
  open: boolean;
}

const holding = new AsyncLocalStorage<Holding>();
let enforced = false;

/** The error of a code path that asked for a second connection while holding one. */
export class SecondConnectionError extends Error {
  constructor() {
    super("database: this code path asked for a second database connection while it holds one (inside a transaction): use the transaction's EntityManager");
    this.name = 'SecondConnectionError';
  }
}

/** Runs `work` (a transaction's body) as the holder of a connection. A no-op unless the guard is installed. */
export function asConnectionHolder<T>(work: () => Promise<T>): Promise<T> {
  if (!enforced) return work();
  const mark: Holding = { open: true };
  return holding.run(mark, work).finally(() => {
    mark.open = false;
  });
}

/** Throws when the calling context holds a connection (see the module comment). */
export function assertHoldsNoConnection(): void {
  if (enforced && holding.getStore()?.open) throw new SecondConnectionError();
}

/**
 * Makes the data source's driver refuse a new connection to a context that
 * holds one. Every connection TypeORM takes (a query runner's `connect`, for a
 * transaction or a single query) goes through `obtainMasterConnection`.
 */
export function installConnectionGuard(dataSource: DataSource): void {
  const driver = dataSource.driver as unknown as { obtainMasterConnection(): Promise<unknown> };
  const obtain = driver.obtainMasterConnection.bind(driver);
  driver.obtainMasterConnection = () => {
    try {
      assertHoldsNoConnection();
    } catch (e) {
      return Promise.reject(e as Error);
    }
    return obtain();
  };
  enforced = true;
}
