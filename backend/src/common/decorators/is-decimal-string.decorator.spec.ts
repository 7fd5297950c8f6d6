import { decimalStringProblem, type DecimalStringOptions } from './is-decimal-string.decorator';

const AMOUNT: DecimalStringOptions = { min: '0', exclusiveMin: true, max: '100000000000000', maxScale: 8, label: 'an amount' };

describe('decimalStringProblem (one plain message a decimal field)', () => {
  it('accepts plain decimal strings within the bounds and the scale', () => {
    for (const v of ['1', '0.5', '250', '0.00000001', '100000000000000', '12.50']) expect(decimalStringProblem(v, AMOUNT)).toBeNull();
  });

  it('asks for the amount when nothing is entered, before anything about its form', () => {
    for (const v of [undefined, null, '']) expect(decimalStringProblem(v, AMOUNT)).toBe('Enter an amount, like 0.5');
    expect(decimalStringProblem(0.5, AMOUNT)).toBe('Send an amount as text in quotes, like "0.5"');
  });

  it('shows what a number looks like for anything that is not one', () => {
    for (const v of ['abc', '1e5', ' 1', '1,5', '+1', '.5', '5.', '007', '1 000'])
      expect(decimalStringProblem(v, AMOUNT)).toBe('Enter an amount like 250 or 0.5');
    expect(decimalStringProblem('x', { ...AMOUNT, maxScale: 2 })).toBe('Enter an amount like 250 or 12.50');
    expect(decimalStringProblem('x', { signed: true, min: '-10', max: '10', label: 'an amount' })).toBe('Enter an amount like 100 or -100');
  });

  it('tells a value that is too large that it is too large, whatever its decimals', () => {
    const forty = '1'.repeat(40);
    expect(decimalStringProblem(forty, AMOUNT)).toBe('That number is too large (at most 100,000,000,000,000)');
    expect(decimalStringProblem(`${forty}.123456789123`, AMOUNT)).toBe('That number is too large (at most 100,000,000,000,000)');
    expect(decimalStringProblem('100000000000000.00000001', AMOUNT)).toBe('That number is too large (at most 100,000,000,000,000)');
    expect(decimalStringProblem(forty, { label: 'a number' })).toBe('That number is too large (at most 20 digits before the point)');
    expect(decimalStringProblem(`-${forty}`, { signed: true, min: '-1000', max: '1000' })).toBe('That number is too large (at most 1,000 either way)');
  });

  it('tells a value below the minimum the minimum, a negative one included', () => {
    expect(decimalStringProblem('0', AMOUNT)).toBe('Enter an amount more than 0');
    expect(decimalStringProblem('-5', AMOUNT)).toBe('Enter an amount more than 0');
    expect(decimalStringProblem('5', { min: '10', max: '100000', maxScale: 2, label: 'an amount' })).toBe('Enter an amount of 10 or more');
  });

  it('counts decimals last', () => {
    expect(decimalStringProblem('1.123456789', AMOUNT)).toBe('Use at most 8 decimals');
    expect(decimalStringProblem('12.345', { min: '10', max: '100000', maxScale: 2 })).toBe('Use at most 2 decimals');
  });
});
