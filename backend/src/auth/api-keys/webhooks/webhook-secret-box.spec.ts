import { randomBytes } from 'node:crypto';
import { derivedWebhookKey, openSecret, sealSecret } from './webhook-secret-box';

describe('webhook secrets at rest', () => {
  const key = randomBytes(32);
  const secret = 'whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8';

  it('seals a secret so that only the same key opens it, for the same endpoint, unaltered', () => {
    const sealed = sealSecret(key, secret, 'endpoint-1');
    expect(sealed.includes(Buffer.from(secret))).toBe(false);
    expect(openSecret(key, sealed, 'endpoint-1')).toBe(secret);
    expect(sealSecret(key, secret, 'endpoint-1').equals(sealed)).toBe(false); // a fresh nonce each time
    expect(() => openSecret(randomBytes(32), sealed, 'endpoint-1')).toThrow();
    expect(() => openSecret(key, sealed, 'endpoint-2')).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] ^= 1;
    expect(() => openSecret(key, flipped, 'endpoint-1')).toThrow();
  });

  it('derives the development key from the JWT secret, the same on every instance sharing it', () => {
    expect(derivedWebhookKey('a'.repeat(40))).toEqual(derivedWebhookKey('a'.repeat(40)));
    expect(derivedWebhookKey('a'.repeat(40))).toHaveLength(32);
    expect(derivedWebhookKey('b'.repeat(40)).equals(derivedWebhookKey('a'.repeat(40)))).toBe(false);
  });
});
