import { checkWithdrawalAddress } from '../withdrawals/withdrawal-rules';
import { sandboxPayAddress, sandboxPayAmount } from './sandbox.provider';

describe('sandbox payment provider', () => {
  it('prices the pay amount at the quote, rounded up to 8 decimals so the order is never underpaid', () => {
    expect(sandboxPayAmount('100', '95000')).toBe('0.00105264');
    expect(sandboxPayAmount('250.50', '1')).toBe('250.50000000');
  });

  it('refuses to price against a zero quote', () => {
    expect(() => sandboxPayAmount('100', '0')).toThrow('no usable quote');
  });

  it('hands out EVM deposit addresses that pass the address checks', () => {
    expect(checkWithdrawalAddress('ETH', sandboxPayAddress('eth'))).toEqual({ ok: true, network: 'ethereum' });
    expect(sandboxPayAddress('sol')).toMatch(/^[1-9A-HJ-NP-Za-km-z]{44}$/);
  });
});
