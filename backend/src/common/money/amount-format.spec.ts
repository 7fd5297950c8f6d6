import { dec } from './decimal';
import { approxAmount, formatAmount, formatPrice, percent } from './amount-format';

describe('amount formatting', () => {
  it('pads to the display scale of the asset and never drops real digits', () => {
    expect(formatAmount('0.3', 'USD')).toBe('0.30');
    expect(formatAmount('0.300000000000000000', 'BTC')).toBe('0.30000000');
    expect(formatAmount('0.000000000000000001', 'BTC')).toBe('0.000000000000000001');
    expect(formatAmount('12870370266120.37025325', 'USD')).toBe('12870370266120.37025325');
  });

  it('writes no exponent and no negative zero', () => {
    expect(formatAmount(dec('1e-18'), 'ETH')).toBe('0.000000000000000001');
    expect(formatAmount(dec('-0'), 'USD')).toBe('0.00');
    expect(formatPrice(dec('104250'))).toBe('104250.00');
  });

  it('computes percentages with two decimals and zero for an empty base', () => {
    expect(percent(dec('1'), dec('3'))).toBe('33.33');
    expect(percent(dec('1'), dec('0'))).toBe('0.00');
  });

  it('writes amounts for prose at the display scale, marking the ones it rounded', () => {
    expect(approxAmount('0.128997103511878115', 'ETH')).toBe('≈0.12899710');
    expect(approxAmount('0.123456785', 'BTC')).toBe('≈0.12345678');
    expect(approxAmount('0.004', 'BTC')).toBe('0.00400000');
    expect(approxAmount('12.005', 'USD')).toBe('≈12.00');
  });
});
