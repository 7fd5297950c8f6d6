import { decCmp, decIsZero, decSub, decSum, isDecimal } from './decimal';

describe('decimal strings', () => {
  it('adds and subtracts exactly where floats would drift', () => {
    expect(decSum(['0.1', '0.2'])).toBe('0.3');
    expect(decSum(['33.33', '33.33', '33.33'])).toBe('99.99');
    expect(decSub('100', '99.99')).toBe('0.01');
    expect(decSub('40000.00', '48250.50')).toBe('-8250.50');
    expect(decSum(['123456789012345678.000000000000000001', '1'])).toBe('123456789012345679.000000000000000001');
    expect(decSum([])).toBe('0');
  });

  it('compares and recognises zero whatever the scale', () => {
    expect(decCmp('1.50', '1.5')).toBe(0);
    expect(decCmp('-0.01', '0')).toBe(-1);
    expect(decCmp('10', '9.999')).toBe(1);
    expect(decIsZero('0.000')).toBe(true);
    expect(decIsZero('-0.001')).toBe(false);
  });

  it('accepts only plain decimal strings', () => {
    expect(isDecimal('0.5')).toBe(true);
    expect(isDecimal('-12')).toBe(true);
    expect(isDecimal('1e3')).toBe(false);
    expect(isDecimal('1.')).toBe(false);
    expect(isDecimal('')).toBe(false);
    expect(isDecimal(null)).toBe(false);
    expect(() => decSum(['abc'])).toThrow('Not a decimal string: abc');
  });
});
