export interface ReconciliationCheck {
  name: string;
  /** Human-readable lines, one per violation (at most 50 listed). */
  violations: string[];
  /** Total violations found (may exceed the lines listed). */
  count: number;
}

/** Text report; `ok` is false when any check failed. */
export function reconciliationReport(checks: ReconciliationCheck[]): { ok: boolean; text: string } {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${c.count === 0 ? 'ok  ' : 'FAIL'} ${c.name}${c.count ? ` (${c.count} violation${c.count === 1 ? '' : 's'})` : ''}`);
    for (const v of c.violations) lines.push(`       ${v}`);
    if (c.count > c.violations.length) lines.push(`       … and ${c.count - c.violations.length} more`);
  }
  const ok = checks.every((c) => c.count === 0);
  lines.push(ok ? 'reconcile: ledger and balances agree' : 'reconcile: VIOLATIONS FOUND');
  return { ok, text: `${lines.join('\n')}\n` };
}
