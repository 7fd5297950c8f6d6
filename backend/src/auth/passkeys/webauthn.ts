import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';

/**
 * The WebAuthn ceremonies of @simplewebauthn/server with this app's choices,
 * as plain functions (unit-tested against recorded authenticator responses in
 * webauthn.spec.ts): the relying party from APP_URL, discoverable credentials,
 * user verification preferred, attestation "none"; the challenge, the origin
 * and the RP ID always checked; the signature counter checked here.
 */

/** Who the browser and the authenticator must see: RP ID = APP_URL's hostname, origin = its origin. */
export interface RelyingParty {
  name: string;
  id: string;
  origin: string;
}

export function relyingPartyFor(appUrl: string, name = 'CryptoVault'): RelyingParty {
  const url = new URL(appUrl);
  return { name, id: url.hostname, origin: url.origin };
}

/** Why a response was refused (logged and audited; the caller answers one generic error). */
export class WebAuthnRefusal extends Error {
  constructor(
    readonly reason: 'malformed' | 'verification' | 'counter' | 'user_verification',
    message: string,
  ) {
    super(message);
  }
}

export interface StoredCredential {
  /** base64url credential id. */
  id: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
}

export interface RegisteredCredential {
  id: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  userVerified: boolean;
}

/** WebAuthn gives the user handle as bytes: the account's UUID, 16 bytes. */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));
}

/** The account UUID a user handle (base64url) names, or null. */
export function userIdOfHandle(handle: string | undefined): string | null {
  if (!handle) return null;
  const hex = Buffer.from(handle, 'base64url').toString('hex');
  if (hex.length !== 32) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The challenge a response answers, read from its clientDataJSON (to find the
 * stored challenge; the library checks it again against what is passed in).
 */
export function challengeOf(clientDataJSON: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
  } catch {
    throw new WebAuthnRefusal('malformed', 'clientDataJSON is not base64url JSON');
  }
  const challenge = (parsed as { challenge?: unknown } | null)?.challenge;
  if (typeof challenge !== 'string' || !/^[A-Za-z0-9_-]{16,128}$/.test(challenge)) throw new WebAuthnRefusal('malformed', 'clientDataJSON has no challenge');
  return challenge;
}

export function registrationOptions(
  rp: RelyingParty,
  user: { id: string; email: string; name: string },
  exclude: { id: string; transports: string[] }[],
  timeoutMs: number,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: userHandleOf(user.id),
    userName: user.email,
    userDisplayName: user.name,
    timeout: timeoutMs,
    attestationType: 'none',
    excludeCredentials: exclude.map((c) => ({ id: c.id, transports: c.transports })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
  });
}

export async function verifyRegistration(rp: RelyingParty, response: RegistrationResponseJSON, expectedChallenge: string): Promise<RegisteredCredential> {
  let result;
  try {
    result = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // Preferred, not required: a security key without a PIN is still a good second factor.
      requireUserVerification: false,
    });
  } catch (e) {
    throw new WebAuthnRefusal('verification', (e as Error).message);
  }
  if (!result.verified) throw new WebAuthnRefusal('verification', 'the registration response did not verify');
  const { credential, userVerified } = result.registrationInfo;
  return {
    id: credential.id,
    publicKey: credential.publicKey,
    counter: credential.counter,
    transports: response.response.transports ?? credential.transports ?? [],
    userVerified,
  };
}

/** Options for `navigator.credentials.get`: no `allow` = any discoverable credential of this site (sign-in without a name). */
export function authenticationOptions(
  rp: RelyingParty,
  allow: { id: string; transports: string[] }[] | undefined,
  timeoutMs: number,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: allow?.map((c) => ({ id: c.id, transports: c.transports })),
    userVerification: 'preferred',
    timeout: timeoutMs,
  });
}

/** A counter that went up, or one that stays 0 (an authenticator that keeps none, e.g. synced passkeys). */
export function counterAdvanced(stored: number, received: number): boolean {
  return received > stored || (received === 0 && stored === 0);
}

/**
 * Verifies an assertion by `credential`: challenge, origin, RP ID, user
 * presence (and verification when `requireUserVerification`), signature,
 * then the counter (refused when replayed or decreasing). Resolves with the
 * new counter to store.
 */
export async function verifyAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  credential: StoredCredential,
  requireUserVerification: boolean,
): Promise<{ newCounter: number; userVerified: boolean }> {
  let result;
  try {
    result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // The counter is checked below, after the signature: only a validly signed response can be called a replay.
      credential: { id: credential.id, publicKey: new Uint8Array(credential.publicKey), counter: 0, transports: credential.transports },
      requireUserVerification,
    });
  } catch (e) {
    const message = (e as Error).message;
    throw new WebAuthnRefusal(/user verification required/i.test(message) ? 'user_verification' : 'verification', message);
  }
  if (!result.verified) throw new WebAuthnRefusal('verification', 'the signature did not verify');
  const { newCounter, userVerified } = result.authenticationInfo;
  if (!counterAdvanced(credential.counter, newCounter)) {
    throw new WebAuthnRefusal('counter', `signature counter ${newCounter} is not above the stored ${credential.counter}`);
  }
  return { newCounter, userVerified };
}
