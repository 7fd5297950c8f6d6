import { dec } from '../../common/money/decimal';
import { feeOn } from '../../convert/convert-pricing';
import { cashOutScale, describeCashOutFunding, describeCashOutReversal, minimumUsdFor, priceCashOut, stablecoinsPerDollar } from './cash-out-pricing';

const FEE = dec('0.001');
const USDT = { price: dec('1.0002'), feeRate: FEE, networkFee: dec('2.5'), scale: 8 };

describe('priceCashOut', () => {
  it('debits exactly the dollars asked for, converts them less the fee at the price, rounded down, and sends that less the network fee', () => {
    const p = priceCashOut({ ...USDT, usdAmount: dec('100') });
    expect(p.usdAmount.toFixed()).toBe('100');
    expect(p.net.toFixed()).toBe('99.9000999');
    expect(p.fee.toFixed()).toBe('0.0999001');
    // 99.9000999 / 1.0002 = 99.88012387522495…, rounded down at 8 decimals.
    expect(p.converted.toFixed()).toBe('99.88012387');
    expect(p.networkFee.toFixed()).toBe('2.5');
    expect(p.receive.toFixed()).toBe('97.38012387');
  });

  it('charges at least the trading fee of what it converts, and no more than the 2e-8 rounding rest above it', () => {
    for (const usd of ['12.52', '13.37', '100.01', '999.99', '1000000', '0.01']) {
      for (const price of ['1.0002', '0.9999', '1', '0.99873211']) {
        const p = priceCashOut({ ...USDT, price: dec(price), usdAmount: dec(usd) });
        const rateFee = feeOn(p.net, FEE, 8);
        expect(p.net.add(p.fee).toFixed()).toBe(dec(usd).toFixed());
        expect(p.fee.gte(rateFee)).toBe(true);
        expect(p.fee.sub(rateFee).lte('0.00000002')).toBe(true);
        // What is bought is never worth more than the dollars converted.
        expect(p.converted.mul(price).lte(p.net)).toBe(true);
        expect(p.converted.decimalPlaces()).toBeLessThanOrEqual(8);
      }
    }
  });
});

describe('minimumUsdFor', () => {
  it('names the smallest whole-cent amount that still delivers the minimum after the network fee', () => {
    const least = minimumUsdFor(dec('10'), USDT);
    expect(least.toFixed(2)).toBe('12.52');
    expect(priceCashOut({ ...USDT, usdAmount: least }).receive.gte(10)).toBe(true);
    expect(priceCashOut({ ...USDT, usdAmount: least.sub('0.01') }).receive.lt(10)).toBe(true);
  });

  it('is the smallest such amount at any price', () => {
    for (const price of ['1', '0.9999', '1.0002', '1.05', '0.95123457']) {
      for (const [minimum, networkFee] of [
        ['10', '2.5'],
        ['10', '0'],
        ['25', '5'],
      ]) {
        const terms = { ...USDT, price: dec(price), networkFee: dec(networkFee) };
        const least = minimumUsdFor(dec(minimum), terms);
        expect(least.decimalPlaces()).toBeLessThanOrEqual(2);
        expect(priceCashOut({ ...terms, usdAmount: least }).receive.gte(minimum)).toBe(true);
        expect(priceCashOut({ ...terms, usdAmount: least.sub('0.01') }).receive.lt(minimum)).toBe(true);
      }
    }
  });
});

describe('the words of a cash-out', () => {
  const terms = { asset: 'USDT', usdAmount: dec('100'), fee: dec('0.0999001'), price: dec('1.0002'), converted: dec('99.88012387'), networkFee: dec('2.5') };

  it('says what was converted, at what price, what is held and what arrives', () => {
    expect(describeCashOutFunding(terms, '“Tron wallet”')).toBe(
      'Cash-out of $100.00 to “Tron wallet” requested: converted to 99.88012387 USDT at $1.0002 (fee ≈$0.10) and held until it is sent ' +
        '(97.38012387 USDT arrives after the 2.5 USDT network fee)',
    );
    expect(describeCashOutReversal(terms, 'rejected')).toBe(
      'Cash-out of $100.00 rejected: 99.88012387 USDT converted back at $1.0002, $100.00 available again',
    );
  });

  it('gives the rate as stablecoins per dollar', () => {
    expect(stablecoinsPerDollar(dec('1.0002')).toFixed()).toBe('0.9998000399920016');
    expect(stablecoinsPerDollar(dec('1')).toFixed()).toBe('1');
  });
});

describe('cash-out token decimals', () => {
  it('rounds the converted stablecoin down to its on-chain decimals (USDT, USDC: 6), never past a withdrawal scale', () => {
    expect(cashOutScale('USDT', 8)).toBe(6);
    expect(cashOutScale('USDC', 8)).toBe(6);
    const p = priceCashOut({ ...USDT, scale: cashOutScale('USDT', 8), usdAmount: dec('100') });
    expect(p.converted.decimalPlaces()).toBeLessThanOrEqual(6);
  });
});
