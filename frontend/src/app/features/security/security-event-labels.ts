import type { SecurityEventDto, SecurityHoldReason } from '../../api/models';

/** Where an event came from, in words: "Firefox on Windows · network 203.0.113.0/24". */
export function eventOrigin(e: Pick<SecurityEventDto, 'device' | 'network'>): string {
  return [e.device, e.network ? `network ${e.network}` : null].filter(Boolean).join(' · ') || 'Unknown device and network';
}

const HOLD_REASONS: Record<SecurityHoldReason, string> = {
  password_reset: 'your password was reset',
  two_factor_changed: 'two-factor authentication was changed',
  account_unfrozen: 'your account was unfrozen',
  email_changed: 'your email address was changed',
  passkey_changed: 'a passkey was changed',
};

/** Why withdrawals are held, as the end of "Withdrawals are on hold … because …". */
export function holdReasonText(reason: SecurityHoldReason): string {
  return HOLD_REASONS[reason] ?? 'a security change was made';
}
