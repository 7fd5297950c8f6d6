import { createHash } from 'node:crypto';
import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Why a new password is refused, or null when it is acceptable (API.md: 8–128, a letter and a digit, not common). */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `That password is too long (at most ${PASSWORD_MAX} characters)`;
  if (!/\p{L}/u.test(password)) return 'Add at least one letter';
  if (!/\p{Nd}/u.test(password)) return 'Add at least one digit';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return 'That password is too common: choose one that is not on lists of breached passwords';
  return null;
}

/**
 * What bcrypt actually hashes: bcrypt ignores everything after 72 bytes, and
 * a 128-character password (or a multi-byte one) can exceed that. Hashing
 * first keeps every character significant; base64 of SHA-256 is 44 bytes.
 */
export function bcryptInput(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('base64');
}
