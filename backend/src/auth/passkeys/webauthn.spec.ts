import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import {
  challengeOf,
  counterAdvanced,
  relyingPartyFor,
  type StoredCredential,
  userHandleOf,
  userIdOfHandle,
  verifyAssertion,
  verifyRegistration,
} from './webauthn';

/** Responses recorded once from a software authenticator (e2e/support/record-webauthn-fixtures.ts) for https://vault.example. */
interface Recorded {
  challenge: string;
  response: unknown;
}
const fixtures = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'webauthn-recorded.json'), 'utf8')) as {
  user: { id: string };
  registration: Recorded;
  registrationFromAnotherOrigin: Recorded;
  assertions: Record<'good' | 'wrongOrigin' | 'wrongRpId' | 'withoutUserVerification' | 'lowerCounter', Recorded>;
};
const rp = relyingPartyFor('https://vault.example');
const registration = fixtures.registration.response as RegistrationResponseJSON;
const assertion = (name: keyof typeof fixtures.assertions) => ({
  challenge: fixtures.assertions[name].challenge,
  response: fixtures.assertions[name].response as AuthenticationResponseJSON,
});

async function registered(counter = 0): Promise<StoredCredential> {
  const c = await verifyRegistration(rp, registration, fixtures.registration.challenge);
  return { id: c.id, publicKey: c.publicKey, counter, transports: c.transports };
}

describe('WebAuthn verification against recorded authenticator responses', () => {
  it('takes the relying party from APP_URL: its hostname as RP ID, its origin as the expected origin', () => {
    expect(relyingPartyFor('https://vault.example:8443/app')).toEqual({ name: 'CryptoVault', id: 'vault.example', origin: 'https://vault.example:8443' });
  });

  it('accepts the recorded registration and keeps its credential id, public key and transports', async () => {
    const c = await verifyRegistration(rp, registration, fixtures.registration.challenge);
    expect(c.id).toBe(registration.id);
    expect(c.publicKey.length).toBeGreaterThan(60);
    expect(c.transports).toEqual(['internal']);
    expect(c.userVerified).toBe(true);
  });

  it('refuses a registration answering another challenge', async () => {
    await expect(verifyRegistration(rp, registration, fixtures.registrationFromAnotherOrigin.challenge)).rejects.toMatchObject({ reason: 'verification' });
  });

  it('refuses a registration made on another origin', async () => {
    const foreign = fixtures.registrationFromAnotherOrigin;
    await expect(verifyRegistration(rp, foreign.response as RegistrationResponseJSON, foreign.challenge)).rejects.toThrow(/origin/);
  });

  it('refuses a registration for another RP ID', async () => {
    const elsewhere = relyingPartyFor('https://other.example');
    await expect(verifyRegistration({ ...elsewhere, origin: rp.origin }, registration, fixtures.registration.challenge)).rejects.toThrow(/RP ID/i);
  });

  it('accepts a good assertion and returns its new counter', async () => {
    const { challenge, response } = assertion('good');
    await expect(verifyAssertion(rp, response, challenge, await registered(0), true)).resolves.toEqual({ newCounter: 7, userVerified: true });
  });

  it('refuses an assertion made on another origin', async () => {
    const { challenge, response } = assertion('wrongOrigin');
    await expect(verifyAssertion(rp, response, challenge, await registered(0), false)).rejects.toThrow(/origin "https:\/\/evil.example"/);
  });

  it('refuses an assertion signed for another RP ID', async () => {
    const { challenge, response } = assertion('wrongRpId');
    await expect(verifyAssertion(rp, response, challenge, await registered(0), false)).rejects.toThrow(/RP ID/i);
  });

  it('refuses an assertion whose challenge is not the one expected', async () => {
    const { response } = assertion('good');
    await expect(verifyAssertion(rp, response, assertion('lowerCounter').challenge, await registered(0), false)).rejects.toThrow(/challenge/);
  });

  it('refuses a replayed counter: the same assertion again once its counter is stored', async () => {
    const { challenge, response } = assertion('good');
    const refusal = verifyAssertion(rp, response, challenge, await registered(7), true);
    await expect(refusal).rejects.toMatchObject({ reason: 'counter' });
  });

  it('refuses a counter lower than the stored one (a cloned authenticator)', async () => {
    const { challenge, response } = assertion('lowerCounter');
    await expect(verifyAssertion(rp, response, challenge, await registered(7), false)).rejects.toMatchObject({ reason: 'counter' });
  });

  it('refuses an assertion without user verification where it is required, and accepts it as a second factor', async () => {
    const { challenge, response } = assertion('withoutUserVerification');
    await expect(verifyAssertion(rp, response, challenge, await registered(0), true)).rejects.toMatchObject({ reason: 'user_verification' });
    await expect(verifyAssertion(rp, response, challenge, await registered(0), false)).resolves.toEqual({ newCounter: 10, userVerified: false });
  });

  it('refuses an assertion whose signature does not match the stored public key', async () => {
    const { challenge, response } = assertion('good');
    const tampered = { ...response, response: { ...response.response, authenticatorData: assertion('lowerCounter').response.response.authenticatorData } };
    await expect(verifyAssertion(rp, tampered, challenge, await registered(0), false)).rejects.toMatchObject({ reason: 'verification' });
  });

  it('reads the challenge of a response and refuses clientDataJSON that is not JSON', () => {
    const { challenge, response } = assertion('good');
    expect(challengeOf(response.response.clientDataJSON)).toBe(challenge);
    expect(() => challengeOf(Buffer.from('not json').toString('base64url'))).toThrow(/base64url JSON/);
  });

  it('maps an account id to a 16-byte user handle and back', () => {
    const handle = Buffer.from(userHandleOf(fixtures.user.id)).toString('base64url');
    expect(userIdOfHandle(handle)).toBe(fixtures.user.id);
    expect(userIdOfHandle('AAAA')).toBeNull();
  });

  it('counts a counter as advanced only when it went up, or stays 0 on an authenticator that keeps none', () => {
    expect(counterAdvanced(0, 0)).toBe(true);
    expect(counterAdvanced(4, 5)).toBe(true);
    expect(counterAdvanced(5, 5)).toBe(false);
    expect(counterAdvanced(5, 0)).toBe(false);
  });
});
