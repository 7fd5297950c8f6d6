import { dec } from '../common/money/decimal';
import { conversionRate, describeConversion, netForTotal, priceConversion } from './convert-pricing';

const FEE = dec('0.001');

describe('priceConversion', () => {
  it('spends at most the amount given, fee included, and rounds what is received down', () => {
    const p = priceConversion({ fromPrice: dec(1), toPrice: dec('104250'), feeRate: FEE, fromScale: 8, toScale: 8, amount: dec('100') });
    expect(p.net.toFixed()).toBe('99.9000999');
    expect(p.fee.toFixed()).toBe('0.0999001');
    expect(p.give.toFixed()).toBe('100');
    expect(p.receive.toFixed()).toBe('0.00095827');
    expect(p.feeUsd.toFixed()).toBe('0.0999001');
  });

  it('delivers exactly the amount to receive and charges the fee on what it costs, rounded up', () => {
    const p = priceConversion({ fromPrice: dec('104250'), toPrice: dec('3870.25'), feeRate: FEE, fromScale: 8, toScale: 8, receive: dec('1') });
    // 3870.25 / 104250 = 0.0371247002398…, rounded up at 8 decimals.
    expect(p.net.toFixed()).toBe('0.03712471');
    expect(p.fee.toFixed()).toBe('0.00003713');
    expect(p.give.toFixed()).toBe('0.03716184');
    expect(p.receive.toFixed()).toBe('1');
    // What is converted is always worth at least what is received.
    expect(p.net.mul('104250').gte(p.receive.mul('3870.25'))).toBe(true);
  });

  it('never lets net + fee exceed the total, for awkward totals', () => {
    for (const total of ['0.00000001', '0.00000002', '1.001', '12345.6789', '99999999999999.99999999']) {
      const net = netForTotal(dec(total), FEE, 8);
      const fee = net.mul(FEE).toDecimalPlaces(8, 0);
      expect(net.add(fee).lte(total)).toBe(true);
      expect(net.add('0.00000001').add(net.add('0.00000001').mul(FEE).toDecimalPlaces(8, 0)).gt(total)).toBe(true);
    }
  });

  it('states the rate as how many of `to` one `from` buys', () => {
    expect(conversionRate(dec('104250'), dec('3870.25')).toFixed()).toBe('26.9362444286544797');
    expect(conversionRate(dec(1), dec('104250')).toFixed()).toBe('0.00000959232613908872902');
  });
});

describe('describeConversion', () => {
  it('writes a dollar price when one side is USD and a cross rate otherwise', () => {
    expect(describeConversion('USD', 'BTC', { give: dec('100'), receive: dec('0.00095827'), fee: dec('0.0999001') }, dec(1), dec('104250'))).toBe(
      'Converted $100.00 to 0.00095827 BTC at $104,250.00 (fee ≈$0.10)',
    );
    expect(describeConversion('BTC', 'USD', { give: dec('0.01'), receive: dec('1041.45'), fee: dec('0.00001') }, dec('104250'), dec(1))).toBe(
      'Converted 0.01 BTC to $1,041.45 at $104,250.00 (fee 0.00001 BTC)',
    );
    expect(describeConversion('BTC', 'ETH', { give: dec('0.01'), receive: dec('0.26909'), fee: dec('0.00001') }, dec('104250'), dec('3870.25'))).toBe(
      'Converted 0.01 BTC to 0.26909 ETH at 1 BTC ≈ 26.93624442 ETH (fee 0.00001 BTC)',
    );
  });
});
