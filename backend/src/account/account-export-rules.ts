/** The life of a data export: pending → running → ready → expired, or failed after its attempts. */
export const ACCOUNT_EXPORT_STATUSES = ['pending', 'running', 'ready', 'failed', 'expired'] as const;
export type AccountExportStatus = (typeof ACCOUNT_EXPORT_STATUSES)[number];

/** How long the instance making an export holds it; each table read renews it. Another instance resumes it after. */
export const EXPORT_LEASE_MS = 120_000;
/** Claims of one export before it is given up as failed (a crash each time: something in the data, not the host). */
export const EXPORT_MAX_ATTEMPTS = 3;

/**
 * One table of "Download my data": which of its rows are the user's (`where`, SQL over `$1`, the user's id; the
 * user's ledger account is `'user:' || $1`) and in what order.
 */
export interface ExportTable {
  table: string;
  where: string;
  orderBy: string;
  /** Columns shown only where their SQL condition holds (else null): another person's data in the user's rows. */
  onlyWhere?: Readonly<Record<string, string>>;
}

const own = (table: string, orderBy = 'created_at'): ExportTable => ({ table, where: 'user_id = $1', orderBy });
const ofWithdrawals = (table: string, orderBy = 'created_at'): ExportTable => ({
  table,
  where: 'withdrawal_id IN (SELECT id FROM withdrawals WHERE user_id = $1)',
  orderBy,
});

/**
 * Every table that holds rows of a user, and how to find them. A table with a `user_id` column that is not here is
 * exported too (`user_id = $1`), so a new table is never silently left out; `NOT_PERSONAL_TABLES` lists the tables
 * that hold nobody's data. The e2e suite checks that every table of the schema is in one of the two.
 */
export const EXPORT_TABLES: readonly ExportTable[] = [
  { table: 'users', where: 'id = $1', orderBy: 'id' },
  own('sessions'),
  { table: 'refresh_tokens', where: 'session_id IN (SELECT id FROM sessions WHERE user_id = $1)', orderBy: 'created_at' },
  own('one_time_tokens'),
  own('backup_codes'),
  own('confirmation_attempts'),
  own('confirmation_locks'),
  own('email_changes'),
  own('security_events'),
  own('passkeys'),
  own('admin_role_changes'),
  // An admin who acted on the account (funding, approving, reviewing) is in the user's audit rows: the user gets what
  // was done, not that person's IP address or browser.
  { ...own('audit_logs', 'id'), onlyWhere: { ip: 'actor_id IS NULL OR actor_id = $1', user_agent: 'actor_id IS NULL OR actor_id = $1' } },
  // API keys: names, scopes, allowlists, use; never the key itself (its public half is left out like a secret).
  own('api_keys'),
  // Webhooks: the key's endpoints (never the sealed signing secret), the events sent to them and the delivery log.
  own('webhook_endpoints'),
  own('webhook_events'),
  own('webhook_deliveries'),
  own('webhook_delivery_attempts', 'id'),
  // Cost basis: the method chosen over time, costs entered for deposits in kind, withdrawals marked as own-wallet.
  own('cost_basis_methods', 'effective_from'),
  own('lot_cost_entries', 'journal_id'),
  own('withdrawal_transfer_marks'),
  own('idempotency_keys'),
  own('notifications'),
  own('alerts'),
  own('watchlist_items'),
  own('tracked_holdings'),
  own('tracked_holding_lots'),
  own('recurring_buys'),
  own('recurring_buy_runs'),
  own('orders'),
  own('position_costs', 'asset'),
  own('convert_quotes'),
  own('cash_out_quotes'),
  own('deposits'),
  { table: 'deposit_events', where: 'deposit_id IN (SELECT id FROM deposits WHERE user_id = $1)', orderBy: 'id' },
  own('withdrawals'),
  ofWithdrawals('withdrawal_approvals'),
  ofWithdrawals('withdrawal_payouts'),
  ofWithdrawals('withdrawal_payout_events', 'id'),
  own('withdrawal_addresses'),
  own('withdrawal_address_locks', 'locked_at'),
  own('ledger_adjustments'),
  {
    table: 'ledger_journals',
    where: `user_id = $1 OR id IN (SELECT journal_id FROM ledger_entries WHERE account = 'user:' || $1::text)`,
    orderBy: 'created_at',
  },
  { table: 'ledger_entries', where: `account = 'user:' || $1::text`, orderBy: 'id' },
  { table: 'balances', where: `account = 'user:' || $1::text`, orderBy: 'asset' },
  own('account_exports'),
  own('account_closures', 'closed_at'),
  own('reserve_proofs', 'snapshot_id'),
];

/** Tables that hold no one's personal data: the market, the platform's own records, the schema's history. */
export const NOT_PERSONAL_TABLES: readonly string[] = [
  'assets',
  'price_candles',
  'fx_reference_rates',
  'provider_reconciliations',
  'reserve_snapshots',
  'migrations',
];

/**
 * Secret material, never exported: password and TOTP secrets, hashes of backup codes and of every token or link,
 * lease tokens, and the export files themselves. Listed table by table (the e2e suite checks none of them appears);
 * `isSecretColumn` also leaves out any other column whose name says it is one.
 */
export const SECRET_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  users: ['password_hash', 'two_factor_secret'],
  refresh_tokens: ['token_hash'],
  one_time_tokens: ['token_hash'],
  backup_codes: ['code_hash'],
  email_changes: ['token_hash'],
  security_events: ['freeze_token_hash'],
  withdrawal_addresses: ['confirm_token_hash'],
  withdrawal_payouts: ['claim_token'],
  account_exports: ['file'],
  api_keys: ['public_key'],
  webhook_endpoints: ['secret_sealed'],
  webhook_deliveries: ['claim_token'],
};

const SECRET_NAME = /(^|_)(password|secret|token|hash|api_key|key_hash)($|_)/;

/** Whether a column is left out of the export. `request_hash` (an idempotency key's fingerprint) goes too: harmless. */
export function isSecretColumn(table: string, column: string): boolean {
  return (SECRET_COLUMNS[table] ?? []).includes(column) || SECRET_NAME.test(column);
}
