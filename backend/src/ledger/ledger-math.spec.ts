import { dec } from '../common/money/decimal';
import { journalDeltas } from './ledger-math';
import { LedgerLine } from './ledger.types';

const line = (account: string, asset: string, amount: string, bucket: LedgerLine['bucket'] = 'available'): LedgerLine => ({
  account,
  asset,
  amount: dec(amount),
  bucket,
  kind: 'trade',
});

describe('journalDeltas', () => {
  it('folds a balanced trade into one delta per account and asset, sorted in the locking order', () => {
    const deltas = journalDeltas([
      line('user:b', 'USD', '-100.1'),
      line('platform:treasury', 'USD', '100'),
      line('platform:fees', 'USD', '0.1'),
      line('user:b', 'BTC', '0.001'),
      line('platform:treasury', 'BTC', '-0.001'),
    ]);
    expect(deltas.map((d) => `${d.account} ${d.asset} ${d.available.toFixed()} ${d.locked.toFixed()}`)).toEqual([
      'platform:fees USD 0.1 0',
      'platform:treasury BTC -0.001 0',
      'platform:treasury USD 100 0',
      'user:b BTC 0.001 0',
      'user:b USD -100.1 0',
    ]);
  });

  it('nets a hold to zero per asset while moving money between buckets', () => {
    const [d] = journalDeltas([line('user:a', 'USD', '-5', 'available'), line('user:a', 'USD', '5', 'locked')]);
    expect([d.available.toFixed(), d.locked.toFixed()]).toEqual(['-5', '5']);
  });

  it('refuses a journal that does not sum to zero per asset, to the last of 18 decimals', () => {
    expect(() => journalDeltas([line('user:a', 'BTC', '0.000000000000000001'), line('platform:treasury', 'BTC', '0')])).toThrow(/does not balance|zero amount/);
    expect(() =>
      journalDeltas([line('user:a', 'BTC', '0.3'), line('platform:treasury', 'BTC', '-0.1'), line('platform:treasury', 'BTC', '-0.2')]),
    ).not.toThrow();
    expect(() => journalDeltas([line('user:a', 'BTC', '1'), line('platform:treasury', 'USD', '-1')])).toThrow(/does not balance for BTC/);
  });
});
