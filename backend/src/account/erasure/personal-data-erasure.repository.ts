/*
 * Data access (a repository file, like every place that writes SQL), and the one deliberate exception to "one owner per table": erasing a person's
 * data has to reach every table that holds some, in the caller's transaction,
 * and the same function replays the erasure journal after a restore (from the
 * backup CLI, where there is no Nest container). Each table's decision is in
 * docs/ARCHITECTURE.md "Closing an account: what is erased, what is kept". */
import type { EntityManager } from 'typeorm';

/** The e-mail a closed account is left with: unique per user (users_email_key), never deliverable (RFC 2606 `.invalid`). */
export function erasedEmail(userId: string): string {
  return `closed-${userId}@erased.invalid`;
}

/** The name a closed account is left with. */
export const ERASED_NAME = 'Closed account';

/**
 * Not a bcrypt hash (60 characters of `$2b$…`), so no password ever matches
 * it: bcrypt.compare answers false for it.
 */
export const ERASED_PASSWORD_HASH = '!erased';

/** What an address-book entry's label and address become. */
export const ERASED_TEXT = 'erased';

/** Keys of `audit_logs.details` and `security_events.details` that may carry personal data (e-mails, names, labels, addresses, devices). */
export const PII_DETAIL_KEYS = [
  'email',
  'emailHash',
  'newEmail',
  'from',
  'to',
  'name',
  'label',
  'address',
  'ip',
  'userAgent',
  'device',
  'network',
  'ipAllowlist',
  'url',
];

/**
 * Erases or pseudonymises everything that identifies the person behind
 * `userId`, in the caller's transaction, and leaves what the law and the books
 * need: ledger journals, entries and balances, orders, deposits, withdrawals
 * (with their destination address), payouts, adjustments, cost basis, the
 * audit trail (without its personal details). The user row stays (the ledger
 * and those rows point at it) with an undeliverable e-mail, no name, no
 * password, no second factor, tokens invalid from `at`, and an
 * `account_closures` row saying when.
 *
 * Idempotent: a second run (a retry, or the replay of the erasure journal
 * after a restore) changes nothing more; `at` only moves `tokens_valid_after`
 * forward and is kept as the closing time the first run wrote.
 */
export async function erasePersonalData(manager: EntityManager, userId: string, at: Date): Promise<void> {
  const q = (sql: string, params: unknown[] = [userId]): Promise<unknown> => manager.query(sql, params);

  // The account: no way in, nothing that names the person.
  await q(
    `UPDATE users
        SET email = $2, name = $3, password_hash = $4,
            two_factor_secret = NULL, two_factor_enabled_at = NULL, two_factor_last_step = NULL,
            failed_logins = 0, locked_until = NULL, frozen_at = NULL,
            tokens_valid_after = GREATEST(tokens_valid_after, $5::timestamptz)
      WHERE id = $1`,
    [userId, erasedEmail(userId), ERASED_NAME, ERASED_PASSWORD_HASH, at.toISOString()],
  );
  await q(`INSERT INTO account_closures (user_id, closed_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING`, [userId, at.toISOString()]);

  // Sign-ins: every session ended, its device and address forgotten; every credential gone.
  await q(
    `UPDATE sessions
        SET user_agent = NULL, ip = NULL, stepped_up_until = NULL,
            revoked_at = COALESCE(revoked_at, $2::timestamptz), revoked_reason = COALESCE(revoked_reason, 'account_closed')
      WHERE user_id = $1`,
    [userId, at.toISOString()],
  );
  await q(`DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1)`);
  await q(`DELETE FROM one_time_tokens WHERE user_id = $1`);
  await q(`DELETE FROM backup_codes WHERE user_id = $1`);
  await q(`DELETE FROM passkeys WHERE user_id = $1`);
  await q(`DELETE FROM email_changes WHERE user_id = $1`);
  await q(`DELETE FROM confirmation_attempts WHERE user_id = $1`);
  await q(`DELETE FROM confirmation_locks WHERE user_id = $1`);

  // Security history and the audit trail stay (fraud, disputes), without devices, addresses or personal details.
  await q(
    `UPDATE security_events
        SET ip = NULL, network = NULL, device = NULL, details = details - $2::text[],
            freeze_token_hash = NULL, freeze_expires_at = NULL
      WHERE user_id = $1`,
    [userId, PII_DETAIL_KEYS],
  );
  // audit_logs refuses every change but this one, and only while the transaction says it is an erasure (migration
  // 1764371500000): the IP and device blanked, personal keys taken out of `details`; action, ids and time stay.
  await q(`SELECT set_config('cryptovault.erasure', 'on', true)`, []);
  await q(
    // The IP and device are the closed user's only where they acted themselves (no actor, or they were the actor):
    // an admin's who acted on the account stay, or closing an account would wipe the trail of what staff did to it.
    `UPDATE audit_logs
        SET ip = CASE WHEN actor_id IS NULL OR actor_id = $1 THEN NULL ELSE ip END,
            user_agent = CASE WHEN actor_id IS NULL OR actor_id = $1 THEN NULL ELSE user_agent END,
            details = CASE WHEN user_id = $1 THEN details - $2::text[] ELSE details END
      WHERE (user_id = $1 OR actor_id = $1)
        AND (((actor_id IS NULL OR actor_id = $1) AND (ip IS NOT NULL OR user_agent IS NOT NULL)) OR (user_id = $1 AND details ?| $2::text[]))`,
    [userId, PII_DETAIL_KEYS],
  );
  await q(`SELECT set_config('cryptovault.erasure', 'off', true)`, []);

  // API keys: revoked (the sessions end too), their names, allowlists and last addresses erased.
  await q(
    `UPDATE api_keys
        SET name = $3, ip_allowlist = '{}', last_used_ip = NULL,
            revoked_at = COALESCE(revoked_at, $2), revoked_reason = COALESCE(revoked_reason, 'account_closed')
      WHERE user_id = $1`,
    [userId, at, ERASED_TEXT],
  );

  // Webhooks: the endpoints (their URLs and sealed secrets) with their deliveries and log, and the events (what they
  // report: amounts, addresses). The keys are revoked above, so nothing more is sent.
  await q(`DELETE FROM webhook_endpoints WHERE user_id = $1`);
  await q(`DELETE FROM webhook_events WHERE user_id = $1`);

  // What the person wrote or was told: notifications, the address book (its labels and addresses),
  // stored answers of idempotent requests.
  await q(`DELETE FROM notifications WHERE user_id = $1`);
  await q(
    `UPDATE withdrawal_addresses
        SET label = $2::text, address = $2::text || ':' || id::text, confirm_token_hash = NULL, confirm_expires_at = NULL,
            removed_at = COALESCE(removed_at, $3::timestamptz)
      WHERE user_id = $1`,
    [userId, ERASED_TEXT, at.toISOString()],
  );
  await q(`DELETE FROM withdrawal_address_locks WHERE user_id = $1`);
  await q(`UPDATE withdrawals SET address_label = NULL WHERE user_id = $1 AND address_label IS NOT NULL`);
  await q(`DELETE FROM idempotency_keys WHERE user_id = $1`);

  // Standing instructions and personal lists end with the account.
  await q(`UPDATE alerts SET active = false, rearm_at = NULL WHERE user_id = $1 AND active`);
  await q(
    `UPDATE recurring_buys SET status = 'deleted', next_run_at = NULL, deleted_at = COALESCE(deleted_at, $2::timestamptz)
      WHERE user_id = $1 AND status <> 'deleted'`,
    [userId, at.toISOString()],
  );
  await q(`DELETE FROM watchlist_items WHERE user_id = $1`);
  await q(`DELETE FROM tracked_holding_lots WHERE user_id = $1`);
  await q(`DELETE FROM tracked_holdings WHERE user_id = $1`);

  // The user's data exports: the files hold everything above.
  await q(`UPDATE account_exports SET status = 'expired', file = NULL, claimed_until = NULL WHERE user_id = $1 AND status <> 'expired'`);
}
