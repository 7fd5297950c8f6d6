import { generateSecret, generateURI, verifySync } from 'otplib';

/** RFC 6238 as authenticator apps expect it: SHA-1, 6 digits, 30 s steps, ±1 step of clock drift. */
export const TOTP_PERIOD = 30;
const TOLERANCE_SECONDS = TOTP_PERIOD;

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, accountEmail: string): string {
  return generateURI({ issuer: 'CryptoVault', label: accountEmail, secret, algorithm: 'sha1', digits: 6, period: TOTP_PERIOD });
}

/** The time step a code matches (within ±1 step of now), or null. */
export function matchTotpStep(secret: string, code: string, nowMs = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = verifySync({
      secret,
      token: code,
      algorithm: 'sha1',
      digits: 6,
      period: TOTP_PERIOD,
      epoch: Math.floor(nowMs / 1000),
      epochTolerance: TOLERANCE_SECONDS,
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}

/**
 * Replay rule: a code is accepted only for a time step after the last one
 * accepted, so a code (or an older one still inside the window) never works twice.
 */
export function isFreshStep(step: number, lastAcceptedStep: number | null): boolean {
  return lastAcceptedStep === null || step > lastAcceptedStep;
}
