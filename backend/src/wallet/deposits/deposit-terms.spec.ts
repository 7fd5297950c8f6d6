import { AppError } from '../../common/errors/app-error';
import { dec } from '../../common/money/decimal';
import { creditWords, depositTerms } from './deposit-terms';
import type { CreateDepositDto } from './dto/deposit.dto';

const refused = (dto: CreateDepositDto): unknown => {
  try {
    depositTerms(dto);
  } catch (e) {
    return (e as AppError).details;
  }
  throw new Error('accepted');
};

describe('deposit terms', () => {
  it('reads a USD deposit (asset USD or left out, as earlier clients send it) as priced in usd', () => {
    expect(depositTerms({ amount: '250.5', currency: 'btc' })).toEqual({ asset: 'USD', price: '250.50', priceCurrency: 'usd', payCurrency: 'btc' });
    expect(depositTerms({ asset: 'USD', amount: '10', currency: 'usdt' })).toMatchObject({ price: '10.00', payCurrency: 'usdt' });
  });

  it('reads a deposit in kind as priced in the asset paid', () => {
    expect(depositTerms({ asset: 'BTC', quantity: '0.05' })).toEqual({ asset: 'BTC', price: '0.05000000', priceCurrency: 'btc', payCurrency: 'btc' });
    expect(depositTerms({ asset: 'ETH', quantity: '1', currency: 'eth' })).toMatchObject({ priceCurrency: 'eth', payCurrency: 'eth' });
  });

  it('names every missing field, and every field that does not belong to the kind of deposit', () => {
    expect(refused({})).toEqual([
      { field: 'amount', message: 'Enter an amount, like 250.00' },
      { field: 'currency', message: 'Choose a currency to pay with: btc, eth, usdt, usdc, ltc, bnb or sol' },
    ]);
    expect(refused({ asset: 'USD', amount: '10', currency: 'usdt', quantity: '1' })).toEqual([
      { field: 'quantity', message: 'Give a dollar amount for a USD deposit' },
    ]);
    expect(refused({ asset: 'SOL', amount: '10', currency: 'btc' })).toEqual([
      { field: 'amount', message: 'Give a quantity of SOL, not a dollar amount' },
      { field: 'quantity', message: 'Enter a quantity, like 0.05' },
      { field: 'currency', message: 'A SOL deposit is paid in SOL' },
    ]);
  });
});

describe('deposit credit words', () => {
  const usd = { creditAsset: 'USD', priceAmount: '200.00000000', payCurrency: 'usdt' };
  const btc = { creditAsset: 'BTC', priceAmount: '0.05000000', payCurrency: 'btc' };
  const c = (before: string, total: string) => ({ before: dec(before), total: dec(total), amount: dec(total).minus(before) });

  it('keeps the words and data of earlier releases for a whole USD deposit', () => {
    expect(creditWords(usd, 'finished', c('0', '200'))).toEqual({
      journal: 'Deposit of $200.00 paid in USDT',
      notice: {
        title: 'Deposit credited: $200.00',
        body: 'Your deposit of $200.00 paid in USDT has been credited and is now available in your CryptoVault wallet.',
        data: { asset: 'USD', amount: '200.00', total: '200.00', expected: '200.00' },
      },
    });
  });

  it('says what arrived of a partly paid deposit, and the rest when it comes, in the asset credited', () => {
    expect(creditWords(btc, 'partially_paid', c('0', '0.02')).notice).toEqual({
      title: 'Deposit partly paid: 0.02 BTC credited',
      body: 'Your deposit of 0.05 BTC was paid in part: 0.02 BTC arrived and has been credited to your CryptoVault wallet. If the rest arrives, it is credited too.',
      data: { kind: 'partial', asset: 'BTC', amount: '0.02000000', total: '0.02000000', expected: '0.05000000' },
    });
    expect(creditWords(usd, 'partially_paid', c('0', '50.5')).notice.body).toBe(
      'Your deposit of $200.00 in USDT was paid in part: $50.50 arrived and has been credited to your CryptoVault wallet. If the rest arrives, it is credited too.',
    );
    expect(creditWords(btc, 'finished', c('0.02', '0.05'))).toMatchObject({
      journal: 'Deposit of 0.03 BTC (the rest of 0.05 BTC)',
      notice: { title: 'Deposit credited: 0.03 BTC', data: { kind: 'remainder', amount: '0.03000000', total: '0.05000000' } },
    });
    expect(creditWords(btc, 'finished', c('0', '0.06')).notice).toMatchObject({ title: 'Deposit credited: 0.06 BTC', data: { kind: 'in_kind' } });
  });
});
