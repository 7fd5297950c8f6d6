import { COMMON_PASSWORDS } from './common-passwords';
import { bcryptInput, passwordProblem } from './password-policy';

describe('password policy', () => {
  it('accepts a long enough password with a letter and a digit that is not common', () => {
    expect(passwordProblem('Tangerine-Kayak-42')).toBeNull();
    expect(passwordProblem('ünïcødé9x')).toBeNull();
  });

  it('refuses passwords shorter than 8 or longer than 128 characters', () => {
    expect(passwordProblem('ab3defg')).toBe('Use at least 8 characters');
    expect(passwordProblem(`a1${'x'.repeat(127)}`)).toBe('That password is too long (at most 128 characters)');
    expect(passwordProblem(`a1${'x'.repeat(126)}`)).toBeNull();
  });

  it('requires a letter and a digit', () => {
    expect(passwordProblem('12345678901')).toBe('Add at least one letter');
    expect(passwordProblem('onlyletters')).toBe('Add at least one digit');
  });

  it('refuses common passwords whatever their case, including the usual suffixes and leetspeak', () => {
    for (const p of ['password1', 'Password123', 'QWERTY123', 'dragon2024', 'p4ssw0rd', 'letmein1', 'abc12345', '1qaz2wsx']) {
      expect(passwordProblem(p)).toMatch(/too common/);
    }
  });

  it('bundles several thousand common passwords', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(3000);
  });

  it('keeps every character of a long password significant for bcrypt', () => {
    const a = `${'x'.repeat(80)}1`;
    const b = `${'x'.repeat(80)}2`;
    expect(bcryptInput(a)).not.toBe(bcryptInput(b));
    expect(Buffer.byteLength(bcryptInput(a))).toBeLessThanOrEqual(72);
  });
});
