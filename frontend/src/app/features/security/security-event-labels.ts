import type { SecurityEventDto, SecurityHoldReason } from '../../api/models';

/** Where an event came from, in words: "Firefox on Windows · network 203.0.113.0/24". */
export function eventOrigin(e: Pick<SecurityEventDto, 'device' | 'network'>): string {
  return [e.device, e.network ? $localize`network ${e.network}:network:` : null].filter(Boolean).join(' · ') || $localize`Unknown device and network`;
}

const HOLD_REASONS: Record<SecurityHoldReason, string> = {
  password_reset: $localize`:withdrawal hold reason|Ends "Withdrawals are on hold until … because …":your password was reset`,
  two_factor_changed: $localize`:withdrawal hold reason|Ends "Withdrawals are on hold until … because …":two-factor authentication was changed`,
  account_unfrozen: $localize`:withdrawal hold reason|Ends "Withdrawals are on hold until … because …":your account was unfrozen`,
  email_changed: $localize`:withdrawal hold reason|Ends "Withdrawals are on hold until … because …":your email address was changed`,
  passkey_changed: $localize`:withdrawal hold reason|Ends "Withdrawals are on hold until … because …":a passkey was changed`,
};

/** Why withdrawals are held, as the end of "Withdrawals are on hold … because …". */
export function holdReasonText(reason: SecurityHoldReason): string {
  return HOLD_REASONS[reason] ?? $localize`:withdrawal hold reason|Ends "Withdrawals are on hold until … because …":a security change was made`;
}

/** What a freeze removed (the API's names: two_factor, passkeys, email_change, withdrawal_addresses), in words. */
const REMOVED: Record<string, string> = {
  two_factor: $localize`:removed by a freeze:two-factor authentication`,
  passkeys: $localize`:removed by a freeze:passkeys`,
  email_change: $localize`:removed by a freeze:email change`,
  withdrawal_addresses: $localize`:removed by a freeze:withdrawal addresses`,
};

export function removedText(name: string): string {
  return REMOVED[name] ?? name.replace(/_/g, ' ');
}
