/**
 * A fault-injection point for the fault and end-to-end suites, under NODE_ENV=test only (never in development or
 * production; nothing happens otherwise):
 * - FAULT_KILL_AT names this point: the process kills itself here with SIGKILL (no shutdown hook runs, as on a power
 *   cut);
 * - FAULT_LOSE_ANSWER_AT names it (a comma-separated list of points): it throws what the PostgreSQL driver throws when
 *   the connection drops, as if the database's answer to what just committed (or was just read) had been lost on the
 *   way (the caller cannot tell whether it committed).
 */
export function faultPoint(name: string): void {
  if (process.env.NODE_ENV !== 'test') return;
  if (process.env.FAULT_KILL_AT === name) process.kill(process.pid, 'SIGKILL');
  if (process.env.FAULT_LOSE_ANSWER_AT?.split(',').includes(name)) throw new Error(`Connection terminated unexpectedly (FAULT_LOSE_ANSWER_AT=${name})`);
}
