import { backupCode, constantTimeEquals, emailCodeHash, normalizeBackupCode, randomToken, sha256Hex, sixDigitCode } from './secrets';

describe('token hashing and generation', () => {
  it('stores a token as its 64-character SHA-256 and never as itself', () => {
    const token = randomToken();
    const hash = sha256Hex(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(sha256Hex(token)).toBe(hash);
    expect(sha256Hex(randomToken())).not.toBe(hash);
  });

  it('salts email codes with their row so equal codes of two users hash differently', () => {
    expect(emailCodeHash('row-a', '123456')).not.toBe(emailCodeHash('row-b', '123456'));
    expect(emailCodeHash('row-a', '123456')).toBe(emailCodeHash('row-a', '123456'));
  });

  it('makes 6-digit codes, keeping leading zeros', () => {
    for (let i = 0; i < 200; i++) expect(sixDigitCode()).toMatch(/^\d{6}$/);
  });

  it('accepts a backup code typed in capitals or without dashes', () => {
    const code = backupCode();
    expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(normalizeBackupCode(code.toUpperCase().replace(/-/g, ' '))).toBe(normalizeBackupCode(code));
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(constantTimeEquals('abc', 'abc')).toBe(true);
    expect(constantTimeEquals('abc', 'abcd')).toBe(false);
  });
});
