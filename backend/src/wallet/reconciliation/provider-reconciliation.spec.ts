import { compareWithProvider, reconciliationStatus } from './provider-reconciliation';

describe('external reconciliation', () => {
  it('covers each asset with what the provider holds of it under every code, plus payouts under way', () => {
    const lines = compareWithProvider(
      [
        { asset: 'BTC', amount: '1.5' },
        { asset: 'USDT', amount: '100' },
      ],
      [
        { currency: 'btc', amount: '1.4', pending: '0.2' },
        { currency: 'usdttrc20', amount: '60', pending: '0' },
        { currency: 'usdterc20', amount: '50', pending: '0' },
      ],
      [{ currency: 'btc', amount: '0.1' }],
    );
    expect(lines).toEqual([
      {
        asset: 'BTC',
        liabilities: '1.50000000',
        provider: '1.40000000',
        pending: '0.20000000',
        inFlight: '0.10000000',
        difference: '0.00000000',
        status: 'covered',
        currencies: ['btc'],
        backedBy: null,
      },
      {
        asset: 'USDT',
        liabilities: '100.00000000',
        provider: '110.00000000',
        pending: '0.00000000',
        inFlight: '0.00000000',
        difference: '10.00000000',
        status: 'covered',
        currencies: ['usdterc20', 'usdttrc20'],
        backedBy: null,
      },
    ]);
    expect(reconciliationStatus(lines)).toBe('ok');
  });

  it('finds a shortfall, and never counts pending money as covering', () => {
    const lines = compareWithProvider([{ asset: 'ETH', amount: '2' }], [{ currency: 'eth', amount: '1.99999999', pending: '5' }], []);
    expect(lines[0]).toMatchObject({ asset: 'ETH', difference: '-0.00000001', status: 'short' });
    expect(reconciliationStatus(lines)).toBe('short');
    // Liabilities the provider holds nothing of at all.
    expect(compareWithProvider([{ asset: 'SOL', amount: '3' }], [], [])[0]).toMatchObject({
      provider: '0.00000000',
      difference: '-3.00000000',
      status: 'short',
    });
  });

  it('backs the users’ dollars with the stablecoins’ surplus at par, after their own holders', () => {
    const lines = compareWithProvider(
      [
        { asset: 'USD', amount: '250' },
        { asset: 'USDC', amount: '100' },
      ],
      [
        { currency: 'usdc', amount: '300', pending: '0' },
        { currency: 'usdttrc20', amount: '40', pending: '0' },
      ],
      [],
    );
    expect(lines.map((l) => [l.asset, l.difference, l.status])).toEqual([
      ['USDC', '200.00000000', 'covered'],
      ['USDT', '40.00000000', 'covered'],
      ['USD', '-10.00000000', 'short'],
    ]);
    expect(lines[2]).toMatchObject({ provider: '240.00000000', backedBy: ['USDT', 'USDC'] });
  });

  it('lists what the provider holds that nobody is owed as a surplus', () => {
    expect(compareWithProvider([], [{ currency: 'trx', amount: '12', pending: '0' }], [])).toEqual([
      expect.objectContaining({ asset: 'TRX', liabilities: '0.00000000', difference: '12.00000000', status: 'covered' }),
    ]);
  });
});
