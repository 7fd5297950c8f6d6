import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockExplorers } from '../withdrawals/block-explorers';
import { checkWithdrawalAddress } from '../withdrawals/withdrawal-rules';
import {
  markSandboxPaymentPaid,
  readSandboxPayout,
  SandboxPaymentProvider,
  sandboxPayAddress,
  sandboxPayAmount,
  sandboxPayoutIpn,
  sandboxTxHash,
  settleSandboxPayout,
} from './sandbox.provider';

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

describe('sandbox payouts', () => {
  const request = (externalId: string) => ({
    externalId,
    currency: 'btc',
    amount: '0.0015',
    address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    ipnCallbackUrl: 'http://127.0.0.1:1/api/wallet/webhook/nowpayments/payouts',
    description: 'test',
  });

  it('creates a payout CREATING until verified, kept on disk so a restart (another provider object) finds it by our id', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cv-sandbox-'));
    const sandbox = new SandboxPaymentProvider(undefined, dataDir);
    const created = await sandbox.createPayout(request('a3f1c2d4-0000-4000-8000-000000000001'));
    expect(created).toMatchObject({ status: 'CREATING', currency: 'btc', amount: '0.0015', externalId: 'a3f1c2d4-0000-4000-8000-000000000001', hash: null });
    await sandbox.verifyPayout(created.batchId);
    const again = new SandboxPaymentProvider(undefined, dataDir);
    expect(await again.findPayout('a3f1c2d4-0000-4000-8000-000000000001', new Date())).toMatchObject({ payoutId: created.payoutId, status: 'WAITING' });
    expect(await again.findPayout('a3f1c2d4-0000-4000-8000-000000000002', new Date())).toBeUndefined();
    expect(await again.getPayout(created.batchId)).toEqual([expect.objectContaining({ payoutId: created.payoutId, status: 'WAITING' })]);
  });

  it('holds what its paid deposits brought in less what its verified payouts send', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cv-sandbox-'));
    const sandbox = new SandboxPaymentProvider(undefined, dataDir);
    const orderId = 'b3f1c2d4-0000-4000-8000-000000000001';
    await sandbox.createPayment({ orderId, priceAmount: '0.01', priceCurrency: 'btc', payCurrency: 'btc', ipnCallbackUrl: 'x', description: '' });
    expect(await sandbox.balances()).toEqual([]);
    markSandboxPaymentPaid(dataDir, orderId);
    const payout = await sandbox.createPayout(request('c3f1c2d4-0000-4000-8000-000000000001'));
    expect(await sandbox.balances()).toEqual([{ currency: 'btc', amount: '0.01', pending: '0' }]);
    await sandbox.verifyPayout(payout.batchId);
    expect(await sandbox.balances()).toEqual([{ currency: 'btc', amount: '0.0085', pending: '0' }]);
    const settled = settleSandboxPayout(dataDir, readSandboxPayout(dataDir, 'c3f1c2d4-0000-4000-8000-000000000001')!, 'FINISHED');
    expect(await sandbox.balances()).toEqual([{ currency: 'btc', amount: '0.0085', pending: '0' }]);
    expect(sandboxPayoutIpn(settled)).toMatchObject({ id: payout.payoutId, batch_withdrawal_id: payout.batchId, status: 'FINISHED', hash: settled.hash });
  });

  it('gives a finished sandbox payout a hash of its chain’s format, so its explorer link is well formed', () => {
    const explorers = new BlockExplorers({});
    expect(explorers.txUrl('bitcoin', sandboxTxHash('btc'))).toMatch(/^https:\/\/mempool\.space\/tx\/[0-9a-f]{64}$/);
    expect(explorers.txUrl('ethereum', sandboxTxHash('usdterc20'))).toMatch(/^https:\/\/etherscan\.io\/tx\/0x[0-9a-f]{64}$/);
    expect(explorers.txUrl('ripple', sandboxTxHash('xrp'))).toMatch(/^https:\/\/xrpscan\.com\/tx\/[0-9A-F]{64}$/);
  });
});
