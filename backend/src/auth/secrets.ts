import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex: how refresh tokens, one-time tokens and backup codes are stored (they are high-entropy). */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** An opaque random token (256 bits, URL-safe). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A uniformly random 6-digit code, leading zeros kept. */
export function sixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * The stored hash of a 6-digit email code. Salted with the token row id, so
 * equal codes of different users hash differently; 5 attempts bound guessing.
 */
export function emailCodeHash(rowId: string, code: string): string {
  return sha256Hex(`${rowId}:${code}`);
}

const BACKUP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A backup code like `k7pq-x3mz-a9cd` (about 70 bits). */
export function backupCode(): string {
  const chars = Array.from({ length: 12 }, () => BACKUP_ALPHABET[randomInt(0, BACKUP_ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

/** Backup codes are compared case- and separator-insensitively. */
export function normalizeBackupCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Constant-time string equality (compares hashes so lengths never leak). */
export function constantTimeEquals(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
