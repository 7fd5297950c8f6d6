import { formatDateTime } from '../../common/money/prose-format';

/**
 * What a security event can be. The first group is recorded by this module;
 * the second by the features that own the change (step-up's email change,
 * passkeys, the withdrawal address book), through SecurityNoticesService.record.
 */
export enum SecurityEventKind {
  SignedIn = 'signed_in',
  LoginLocked = 'login_locked',
  PasswordChanged = 'password_changed',
  PasswordReset = 'password_reset',
  TwoFactorEnabled = 'two_factor_enabled',
  TwoFactorDisabled = 'two_factor_disabled',
  BackupCodesRegenerated = 'backup_codes_regenerated',
  AccountFrozen = 'account_frozen',
  AccountUnfrozen = 'account_unfrozen',
  EmailChangeRequested = 'email_change_requested',
  EmailChanged = 'email_changed',
  PasskeyAdded = 'passkey_added',
  PasskeyRemoved = 'passkey_removed',
  WithdrawalAddressAdded = 'withdrawal_address_added',
  WithdrawalApiKeyCreated = 'withdrawal_api_key_created',
  WebhookCreated = 'webhook_created',
}

export interface SecurityEventText {
  /** The notice's title (and email subject), and the activity page's line. */
  title: string;
  /** What happened, one sentence, for the notice. */
  summary: string;
  /**
   * Whether the owner is told (in-app, /ws/user, and by email with a "This wasn't me" link).
   * `signed_in` is notified only from a new device or network (decided when it is recorded).
   */
  notify: boolean;
  /** What the notice adds from the event's details (e.g. the address an email change goes to), one sentence. */
  detail?: (details: Record<string, unknown>) => string | null;
}

export const SECURITY_EVENT_TEXT: Record<SecurityEventKind, SecurityEventText> = {
  [SecurityEventKind.SignedIn]: {
    title: 'New sign-in to your account',
    summary: 'Someone signed in to your account from a new device or network.',
    notify: true,
  },
  [SecurityEventKind.LoginLocked]: {
    title: 'Sign-in locked after failed attempts',
    summary: 'Too many wrong passwords or codes were entered at sign-in, so sign-in is locked for a while.',
    detail: (d) =>
      typeof d.until === 'string' && !Number.isNaN(Date.parse(d.until)) ? `It works again from ${formatDateTime(d.until, { roundUp: true })}.` : null,
    notify: true,
  },
  [SecurityEventKind.PasswordChanged]: { title: 'Your password was changed', summary: 'The password of your account was changed.', notify: true },
  [SecurityEventKind.PasswordReset]: {
    title: 'Your password was reset',
    summary: 'The password of your account was reset with a link sent by email.',
    notify: true,
  },
  [SecurityEventKind.TwoFactorEnabled]: {
    title: 'Two-factor authentication turned on',
    summary: 'An authenticator app was set up as the second factor of your account.',
    notify: true,
  },
  [SecurityEventKind.TwoFactorDisabled]: {
    title: 'Two-factor authentication turned off',
    summary: 'Two-factor authentication was turned off for your account.',
    notify: true,
  },
  [SecurityEventKind.BackupCodesRegenerated]: {
    title: 'New backup codes were created',
    summary: 'New two-factor backup codes were created; the old ones no longer work.',
    notify: true,
  },
  [SecurityEventKind.AccountFrozen]: {
    title: 'Your account is frozen',
    summary: 'Your account was frozen with a "This wasn\'t me" link.',
    notify: false,
  },
  [SecurityEventKind.AccountUnfrozen]: { title: 'Your account was unfrozen', summary: 'Your account was unfrozen by a password reset.', notify: false },
  [SecurityEventKind.EmailChangeRequested]: {
    title: 'Email change requested',
    summary: 'A change of the email address of your account was requested.',
    detail: (d) =>
      typeof d.newEmail === 'string' ? `The new address asked for is ${d.newEmail}; nothing changes unless the link sent there is used within 1 hour.` : null,
    notify: true,
  },
  [SecurityEventKind.EmailChanged]: {
    title: 'Your email address was changed',
    summary: 'The email address of your account was changed.',
    notify: true,
    detail: (d) =>
      typeof d.from === 'string' && typeof d.to === 'string'
        ? `It was ${d.from} and is now ${d.to}; every other session was signed out and withdrawals are on hold for a while.`
        : null,
  },
  [SecurityEventKind.PasskeyAdded]: { title: 'A passkey was added', summary: 'A passkey was registered to your account.', notify: true },
  [SecurityEventKind.PasskeyRemoved]: { title: 'A passkey was removed', summary: 'A passkey was removed from your account.', notify: true },
  [SecurityEventKind.WithdrawalAddressAdded]: {
    title: 'A withdrawal address was added',
    summary: 'A new withdrawal address was added to your address book.',
    notify: true,
  },
  [SecurityEventKind.WithdrawalApiKeyCreated]: {
    title: 'A withdrawal API key was created',
    summary: 'An API key that can withdraw from your account was created.',
    // The address it was created from (the event's own, exact) and the addresses the key accepts requests from.
    detail: (d) =>
      typeof d.ip === 'string' && typeof d.ipAllowlist === 'string'
        ? `It was created from the IP address ${d.ip} and accepts requests from ${d.ipAllowlist}; it sends only to confirmed addresses of your address book.`
        : null,
    notify: true,
  },
  [SecurityEventKind.WebhookCreated]: {
    title: 'A webhook endpoint was added',
    summary: 'A webhook endpoint was added to one of your API keys: the events it receives about your account are sent there.',
    // Where they go (the URL's origin: a path may carry the receiver's own token) and which.
    detail: (d) => (typeof d.origin === 'string' && typeof d.events === 'string' ? `It sends ${d.events} to ${d.origin}.` : null),
    notify: true,
  },
};

/** Why withdrawals are held (users.security_hold_reason), with the words the refusal and the wallet screen use. */
export enum SecurityHoldReason {
  PasswordReset = 'password_reset',
  TwoFactorChanged = 'two_factor_changed',
  AccountUnfrozen = 'account_unfrozen',
  EmailChanged = 'email_changed',
  PasskeyChanged = 'passkey_changed',
}

export const SECURITY_HOLD_TEXT: Record<SecurityHoldReason, string> = {
  [SecurityHoldReason.PasswordReset]: 'your password was reset',
  [SecurityHoldReason.TwoFactorChanged]: 'two-factor authentication was changed',
  [SecurityHoldReason.AccountUnfrozen]: 'your account was unfrozen',
  [SecurityHoldReason.EmailChanged]: 'your email address was changed',
  [SecurityHoldReason.PasskeyChanged]: 'a passkey was changed',
};

/** The words for a stored reason (unknown ones, from a newer release, read generically). */
export function holdReasonText(reason: string | null): string {
  return SECURITY_HOLD_TEXT[reason as SecurityHoldReason] ?? 'a security change was made';
}
