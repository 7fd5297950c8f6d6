import { addDecimals, compareDecimals, decimalPlaces, isPlainDecimal, multiplyDecimals } from './decimal';

describe('decimal strings', () => {
  it('adds exactly, where floats would not (0.1 + 0.2)', () => {
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(addDecimals('0.01', '0.0001')).toBe('0.0101');
    expect(addDecimals('10', '2.5')).toBe('12.5');
    expect(addDecimals('0.00000001', '0')).toBe('0.00000001');
  });

  it('compares across different scales', () => {
    expect(compareDecimals('0.0004', '0.0005')).toBe(-1);
    expect(compareDecimals('0.00050', '0.0005')).toBe(0);
    expect(compareDecimals('10', '9.99999999')).toBe(1);
  });

  it('counts decimals and accepts only plain non-negative decimals', () => {
    expect(decimalPlaces('1.123456789')).toBe(9);
    expect(decimalPlaces('25')).toBe(0);
    expect(isPlainDecimal('0.5')).toBe(true);
    for (const bad of ['-1', '1e3', '.5', '1.', 'abc', '']) expect(isPlainDecimal(bad)).toBe(false);
  });
});

describe('multiplyDecimals', () => {
  it('multiplies signed decimal strings exactly, with no float on the way', () => {
    expect(multiplyDecimals('104087.19497179', '0.9512937595')).toBe('99017.499020523605544505');
    expect(multiplyDecimals('-12.5', '0.8')).toBe('-10.00');
    expect(multiplyDecimals('0.1', '0.2')).toBe('0.02');
    expect(multiplyDecimals('0', '-3')).toBe('0');
    expect(multiplyDecimals('3', '1')).toBe('3');
  });
});
