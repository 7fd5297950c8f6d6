/**
 * A crash test's fault-injection point: under NODE_ENV=test, when
 * FAULT_KILL_AT names this point, the process kills itself there with
 * SIGKILL (no shutdown hook runs, as on a power cut). Does nothing otherwise,
 * and never in development or production.
 */
export function faultPoint(name: string): void {
  if (process.env.NODE_ENV === 'test' && process.env.FAULT_KILL_AT === name) process.kill(process.pid, 'SIGKILL');
}
