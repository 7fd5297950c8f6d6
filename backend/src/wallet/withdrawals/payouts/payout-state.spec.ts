import { dec } from '../../../common/money/decimal';
import type { ProviderPayout } from '../../payments/payment-provider';
import { assetOfProviderCurrency, payoutCurrency } from './payout-currencies';
import { decideAutomation, decidePayout, isLivePayout, payoutMismatches, PayoutRecord, sameAddress } from './payout-state';

const WITHDRAWAL = 'a3f1c2d4-0000-4000-8000-000000000001';
const ADDRESS = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq';
const HASH = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';

const payout = (over: Partial<ProviderPayout> = {}): ProviderPayout => ({
  payoutId: '5000000713',
  batchId: '5000000191',
  externalId: WITHDRAWAL,
  status: 'WAITING',
  currency: 'btc',
  amount: '0.0015',
  address: ADDRESS,
  hash: null,
  error: null,
  createdAt: null,
  ...over,
});
const record = (over: Partial<PayoutRecord> = {}): PayoutRecord => ({
  withdrawalId: WITHDRAWAL,
  state: 'processing',
  currency: 'btc',
  providerPayoutId: '5000000713',
  amount: '0.001500000000000000',
  address: ADDRESS,
  ...over,
});

describe('payout status matching', () => {
  it('accepts a status that names our withdrawal and its payout, with its amount (however written), currency and address', () => {
    expect(payoutMismatches(payout(), record())).toEqual([]);
    expect(payoutMismatches(payout({ amount: '0.00150' }), record())).toEqual([]);
    // Before we recorded the provider's id (a crash after its create), our id alone names it.
    expect(payoutMismatches(payout(), record({ providerPayoutId: null, state: 'sending' }))).toEqual([]);
  });

  it('compares EVM addresses whatever their letter case (checksum), every other format exactly', () => {
    const evm = '0x52908400098527886E0F7030069857D2E4169EE7';
    const r = { ...record(), currency: 'eth', address: evm };
    expect(payoutMismatches(payout({ currency: 'eth', address: evm.toLowerCase() }), r)).toEqual([]);
    expect(payoutMismatches(payout({ currency: 'eth', address: '0x52908400098527886E0F7030069857D2E4169EE8' }), r)).toHaveLength(1);
    expect(payoutMismatches(payout({ address: ADDRESS.toUpperCase() }), record())).toHaveLength(1);
    expect(sameAddress('TJRabPrwbZy45sbavfcjinPJC18kjpRTv8', 'tjrabprwbzy45sbavfcjinpjc18kjprtv8')).toBe(false);
  });

  it('refuses another amount, currency, address, payout or withdrawal, saying each', () => {
    expect(payoutMismatches(payout({ amount: '0.0016' }), record())).toEqual(["amount 0.0016 differs from the withdrawal's 0.0015"]);
    expect(payoutMismatches(payout({ address: 'bc1qattacker' }), record())).toEqual(["address bc1qattacker is not the withdrawal's address"]);
    expect(payoutMismatches(payout({ currency: 'ltc' }), record())).toEqual(["currency ltc differs from the payout's btc"]);
    expect(payoutMismatches(payout({ payoutId: '5000000999' }), record())).toEqual(["id 5000000999 is not this withdrawal's payout"]);
    expect(payoutMismatches(payout({ externalId: 'b3f1c2d4-0000-4000-8000-000000000002' }), record())).toEqual([
      'unique_external_id b3f1c2d4-0000-4000-8000-000000000002 is not this withdrawal',
    ]);
  });

  it('refuses a status naming neither our id nor a payout we recorded', () => {
    expect(payoutMismatches(payout({ externalId: null }), record({ providerPayoutId: null, state: 'sending' }))).toEqual(['unique_external_id is missing']);
    // A payout left to an operator has no currency of ours to match.
    expect(payoutMismatches(payout(), record({ currency: null, state: 'manual', providerPayoutId: null }))).toEqual([
      "currency btc differs from the payout's (none)",
    ]);
  });
});

describe('what a payout status does', () => {
  it('completes only on FINISHED with a hash, and releases only on FAILED or REJECTED', () => {
    expect(decidePayout('processing', 'SENDING', payout({ status: 'FINISHED', hash: HASH }))).toEqual({ action: 'finish', hash: HASH });
    expect(decidePayout('processing', 'SENDING', payout({ status: 'FINISHED', hash: null }))).toEqual({ action: 'incomplete' });
    expect(decidePayout('processing', 'WAITING', payout({ status: 'FAILED' }))).toEqual({ action: 'fail' });
    expect(decidePayout('created', 'CREATING', payout({ status: 'REJECTED' }))).toEqual({ action: 'fail' });
  });

  it('settles once: a settled payout takes repeats as duplicates and contradictions as late news, changing nothing', () => {
    expect(decidePayout('finished', 'FINISHED', payout({ status: 'FINISHED', hash: HASH }))).toEqual({ action: 'duplicate' });
    expect(decidePayout('failed', 'FAILED', payout({ status: 'FAILED' }))).toEqual({ action: 'duplicate' });
    expect(decidePayout('failed', 'FAILED', payout({ status: 'FINISHED', hash: HASH }))).toEqual({ action: 'late' });
    expect(decidePayout('finished', 'FINISHED', payout({ status: 'REJECTED' }))).toEqual({ action: 'late' });
    expect(decidePayout('manual', null, payout({ status: 'FINISHED', hash: HASH }))).toEqual({ action: 'late' });
  });

  it('records progress forward only', () => {
    expect(decidePayout('created', 'CREATING', payout({ status: 'WAITING' }))).toEqual({ action: 'record', state: 'processing' });
    expect(decidePayout('processing', 'WAITING', payout({ status: 'SENDING' }))).toEqual({ action: 'record', state: 'processing' });
    expect(decidePayout('processing', 'SENDING', payout({ status: 'PROCESSING' }))).toEqual({ action: 'duplicate' });
    expect(decidePayout('processing', 'SENDING', payout({ status: 'SENDING' }))).toEqual({ action: 'duplicate' });
    expect(decidePayout('sending', null, payout({ status: 'CREATING' }))).toEqual({ action: 'record', state: 'created' });
    expect(decidePayout('processing', 'WAITING', payout({ status: 'CREATING' }))).toEqual({ action: 'duplicate' });
  });

  it('counts sending, created and processing as live (no manual completion meanwhile)', () => {
    expect(['sending', 'created', 'processing'].every((s) => isLivePayout(s as never))).toBe(true);
    expect(['finished', 'failed', 'manual', null, undefined].some((s) => isLivePayout(s as never))).toBe(false);
  });
});

describe('the caps on automatic payouts', () => {
  const base = { enabled: true, currency: 'btc', usdValue: dec('900'), maxUsd: '1000', dailyUsd: '10000', sentTodayUsd: dec('0') };

  it('sends automatically up to the per-withdrawal cap and within the daily cap, both inclusive', () => {
    expect(decideAutomation(base)).toEqual({ automatic: true, currency: 'btc' });
    expect(decideAutomation({ ...base, usdValue: dec('1000') })).toEqual({ automatic: true, currency: 'btc' });
    expect(decideAutomation({ ...base, sentTodayUsd: dec('9100') })).toEqual({ automatic: true, currency: 'btc' });
  });

  it('leaves to an operator a withdrawal over a cap, on a network with no payout currency, or with automation off', () => {
    expect(decideAutomation({ ...base, usdValue: dec('1000.01') })).toEqual({ automatic: false, reason: 'over_withdrawal_cap' });
    expect(decideAutomation({ ...base, sentTodayUsd: dec('9100.01') })).toEqual({ automatic: false, reason: 'over_daily_cap' });
    expect(decideAutomation({ ...base, currency: undefined })).toEqual({ automatic: false, reason: 'no_payout_currency' });
    expect(decideAutomation({ ...base, enabled: false })).toEqual({ automatic: false, reason: 'automation_off' });
  });

  it('leaves to an operator the withdrawal of a user credited by a ledger adjustment lately (or by the approver), and one with no fresh price', () => {
    expect(decideAutomation({ ...base, recentAdjustment: true })).toEqual({ automatic: false, reason: 'recent_adjustment' });
    expect(decideAutomation({ ...base, recentAdjustment: false })).toEqual({ automatic: true, currency: 'btc' });
    expect(decideAutomation({ ...base, usdValue: undefined })).toEqual({ automatic: false, reason: 'over_withdrawal_cap' });
  });
});

describe('payout currencies', () => {
  it('names each asset and network as the provider does, and maps the provider back to our assets', () => {
    expect(payoutCurrency('BTC', 'bitcoin')).toBe('btc');
    expect(payoutCurrency('USDT', 'tron')).toBe('usdttrc20');
    expect(payoutCurrency('USDT', 'ethereum')).toBe('usdterc20');
    expect(payoutCurrency('BNB', 'bsc')).toBe('bnbbsc');
    expect(payoutCurrency('BTC', 'lightning')).toBeUndefined();
    expect(assetOfProviderCurrency('usdttrc20')).toBe('USDT');
    expect(assetOfProviderCurrency('usdt')).toBe('USDT');
    expect(assetOfProviderCurrency('trx')).toBe('TRX');
  });
});
