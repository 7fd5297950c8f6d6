import { generateSync } from 'otplib';
import { isFreshStep, matchTotpStep, newTotpSecret, totpUri } from './totp';

describe('TOTP', () => {
  const secret = newTotpSecret();
  const now = 1_800_000_015_000; // 15 s into a step
  const codeAt = (ms: number) => generateSync({ secret, epoch: Math.floor(ms / 1000) });
  const stepAt = (ms: number) => Math.floor(ms / 1000 / 30);

  it('accepts the current code and the codes one step before and after', () => {
    expect(matchTotpStep(secret, codeAt(now), now)).toBe(stepAt(now));
    expect(matchTotpStep(secret, codeAt(now - 30_000), now)).toBe(stepAt(now) - 1);
    expect(matchTotpStep(secret, codeAt(now + 30_000), now)).toBe(stepAt(now) + 1);
  });

  it('refuses codes two steps away and malformed codes', () => {
    expect(matchTotpStep(secret, codeAt(now - 60_000), now)).toBeNull();
    expect(matchTotpStep(secret, codeAt(now + 60_000), now)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', now)).toBeNull();
    expect(matchTotpStep(secret, '1234567', now)).toBeNull();
  });

  it('never accepts the same step twice, nor an older one', () => {
    expect(isFreshStep(100, null)).toBe(true);
    expect(isFreshStep(101, 100)).toBe(true);
    expect(isFreshStep(100, 100)).toBe(false);
    expect(isFreshStep(99, 100)).toBe(false);
  });

  it('builds an otpauth URI that authenticator apps read', () => {
    const uri = totpUri(secret, 'ann@example.com');
    expect(uri).toMatch(/^otpauth:\/\/totp\/CryptoVault:ann%40example\.com\?/);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('issuer=CryptoVault');
  });
});
