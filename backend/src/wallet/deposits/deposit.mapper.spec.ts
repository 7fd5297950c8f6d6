import { toDepositDto } from './deposit.mapper';
import type { DepositEntity } from './entities/deposit.entity';

const deposit: DepositEntity = {
  id: 'a3f1c2d4-0000-4000-8000-000000000001',
  userId: 'c0ffee00-0000-4000-8000-000000000001',
  provider: 'nowpayments',
  providerPaymentId: '5077125051',
  priceAmount: '250.00000000',
  creditAsset: 'USD',
  creditedAmount: '0.000000000000000000',
  payCurrency: 'btc',
  payAmount: '0.002631580000000000',
  payAddress: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  status: 'waiting',
  expiresAt: new Date('2026-11-28T10:20:00Z'),
  creditedAt: null,
  journalId: null,
  createdAt: new Date('2026-11-28T10:00:00Z'),
  updatedAt: new Date('2026-11-28T10:00:00Z'),
};

describe('deposit mapper', () => {
  it('answers the USD amount with 2 decimals and the pay amount with 8', () => {
    expect(toDepositDto(deposit)).toEqual({
      orderId: deposit.id,
      paymentId: '5077125051',
      asset: 'USD',
      amount: '250.00',
      creditedAmount: '0.00',
      currency: 'btc',
      payAddress: deposit.payAddress,
      payAmount: '0.00263158',
      expiresAt: '2026-11-28T10:20:00.000Z',
      status: 'waiting',
      provider: 'nowpayments',
      creditedAt: null,
      createdAt: '2026-11-28T10:00:00.000Z',
    });
  });

  it('answers a deposit in kind in its asset, with what was credited so far', () => {
    const btc = { ...deposit, creditAsset: 'BTC', priceAmount: '0.05000000', creditedAmount: '0.020000000000000000', status: 'partially_paid' };
    expect(toDepositDto(btc)).toMatchObject({ asset: 'BTC', amount: '0.05000000', creditedAmount: '0.02000000', status: 'partially_paid' });
  });

  it('shows a deposit an earlier release credited as credited in full', () => {
    const old = { ...deposit, status: 'finished', creditedAt: new Date('2026-11-28T10:10:00Z'), creditedAmount: '0' };
    expect(toDepositDto(old)).toMatchObject({ amount: '250.00', creditedAmount: '250.00', creditedAt: '2026-11-28T10:10:00.000Z' });
  });

  it('never rounds a finer pay amount down, which would make the user underpay', () => {
    expect(toDepositDto({ ...deposit, payAmount: '0.000000015' }).payAmount).toBe('0.000000015');
  });
});
