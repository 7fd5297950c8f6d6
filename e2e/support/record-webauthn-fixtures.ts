/**
 * Records the WebAuthn responses backend/src/auth/passkeys/webauthn.spec.ts
 * verifies: a registration and assertions made once by the software
 * authenticator (support/soft-authenticator.ts) for the relying party
 * https://vault.example, written as JSON beside the spec. Run again only to
 * replace them: `node bench/run-ts.js e2e/support/record-webauthn-fixtures.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticationOptions, registrationOptions, relyingPartyFor } from '../../backend/src/auth/passkeys/webauthn';
import { SoftAuthenticator } from './soft-authenticator';

async function main(): Promise<void> {
  const rp = relyingPartyFor('https://vault.example');
  const authenticator = new SoftAuthenticator(rp.origin);
  const user = { id: '6f1c2d3e-4a5b-4c6d-8e7f-901234567890', email: 'ann@example.com', name: 'Ann Example' };

  const creation = (await registrationOptions(rp, user, [], 60_000)) as unknown as Record<string, unknown>;
  const registration = authenticator.register(creation);
  const foreignCreation = (await registrationOptions(rp, user, [], 60_000)) as unknown as Record<string, unknown>;
  const foreignRegistration = new SoftAuthenticator('https://evil.example').register(foreignCreation);

  const credentialId = registration.id as string;
  const request = async (): Promise<Record<string, unknown>> => (await authenticationOptions(rp, undefined, 60_000)) as unknown as Record<string, unknown>;
  const assertion = async (over: Parameters<SoftAuthenticator['authenticate']>[1]) => {
    const options = await request();
    return { challenge: options.challenge, response: authenticator.authenticate(options, { credentialId, ...over }) };
  };

  const fixtures = {
    relyingParty: rp,
    user,
    registration: { challenge: creation.challenge, response: registration },
    registrationFromAnotherOrigin: { challenge: foreignCreation.challenge, response: foreignRegistration },
    assertions: {
      good: await assertion({ counter: 7 }),
      wrongOrigin: await assertion({ counter: 8, origin: 'https://evil.example' }),
      wrongRpId: await assertion({ counter: 9, rpId: 'evil.example' }),
      withoutUserVerification: await assertion({ counter: 10, userVerified: false }),
      lowerCounter: await assertion({ counter: 3 }),
    },
  };
  const file = join(__dirname, '..', '..', 'backend', 'src', 'auth', 'passkeys', 'fixtures', 'webauthn-recorded.json');
  writeFileSync(file, `${JSON.stringify(fixtures, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
