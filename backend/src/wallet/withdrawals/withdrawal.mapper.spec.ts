import { BlockExplorers } from './block-explorers';
import { toAdminWithdrawalDto, toWithdrawalDto, WithdrawalRow } from './withdrawal.mapper';

const explorers = new BlockExplorers();

const row: WithdrawalRow = {
  id: '6f1c0b1e-8a55-4a39-9a53-1b8f6c1f2d11',
  user_id: 'c0ffee00-0000-4000-8000-000000000001',
  asset: 'BTC',
  network: 'bitcoin',
  address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  address_id: '0d5a4c1e-1b2c-4d3e-8f90-a1b2c3d4e5f6',
  address_label: 'Cold wallet',
  amount: '0.002000000000000000',
  fee: '0.000100000000000000',
  usd_value: '208.50000000',
  status: 'pending',
  required_approvals: 2,
  approvals: '1',
  tx_hash: null,
  reject_reason: null,
  created_at: new Date('2026-11-28T10:00:00Z'),
  updated_at: '2026-11-28T10:05:00.000Z',
  completed_at: null,
  user_email: 'ada@example.com',
};

describe('withdrawal mapper', () => {
  it('shows amounts with 8 decimals, the total held and USD with 2, never the raw numeric scale', () => {
    expect(toWithdrawalDto(row, explorers)).toEqual({
      id: row.id,
      asset: 'BTC',
      network: 'bitcoin',
      address: row.address,
      addressId: row.address_id,
      addressLabel: 'Cold wallet',
      amount: '0.00200000',
      fee: '0.00010000',
      total: '0.00210000',
      usdValue: '208.50',
      status: 'pending',
      approvals: 1,
      requiredApprovals: 2,
      txHash: null,
      explorerUrl: null,
      rejectReason: null,
      createdAt: '2026-11-28T10:00:00.000Z',
      updatedAt: '2026-11-28T10:05:00.000Z',
      completedAt: null,
      cashOut: null,
    });
  });

  it('shows the dollars behind a cash-out: USD debited to the cent, the conversion fee and the price with their own digits', () => {
    const cashOut: WithdrawalRow = {
      ...row,
      asset: 'USDT',
      network: 'tron',
      amount: '97.380047990000000000',
      fee: '2.500000000000000000',
      usd_value: '100.00000000',
      source_asset: 'USD',
      source_amount: '100.000000000000000000',
      source_fee: '0.099900100000000000',
      source_price: '1.000200000000000000',
      cash_out_quote_id: '9b1de0a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
    };
    expect(toWithdrawalDto(cashOut, explorers)).toMatchObject({
      asset: 'USDT',
      amount: '97.38004799',
      fee: '2.50000000',
      total: '99.88004799',
      usdValue: '100.00',
      cashOut: { usdAmount: '100.00', conversionFee: '0.0999001', price: '1.0002', quoteId: '9b1de0a2-3c4d-4e5f-8a9b-0c1d2e3f4a5b' },
    });
    // Columns that predate cash-outs (null) or a row read without them: an ordinary withdrawal.
    expect(toWithdrawalDto({ ...row, source_asset: null, source_amount: null }, explorers).cashOut).toBeNull();
  });

  it("links a completed payout's hash to its network's explorer only when it is a hash of that chain", () => {
    const txid = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
    const sent: WithdrawalRow = { ...row, status: 'completed', tx_hash: txid, completed_at: '2026-11-28T11:00:00.000Z' };
    expect(toWithdrawalDto(sent, explorers)).toMatchObject({ txHash: txid, explorerUrl: `https://mempool.space/tx/${txid}` });
    expect(toAdminWithdrawalDto(sent, explorers).explorerUrl).toBe(`https://mempool.space/tx/${txid}`);
    expect(toWithdrawalDto({ ...sent, tx_hash: `0x${txid}` }, explorers)).toMatchObject({ txHash: `0x${txid}`, explorerUrl: null });
    expect(toWithdrawalDto({ ...sent, network: 'ethereum', tx_hash: `0x${txid}` }, explorers).explorerUrl).toBe(`https://etherscan.io/tx/0x${txid}`);
    expect(toWithdrawalDto(sent, new BlockExplorers({ bitcoin: null })).explorerUrl).toBeNull();
  });

  it('gives admins the user id and email, and users never the user id', () => {
    expect(toAdminWithdrawalDto(row, explorers)).toMatchObject({ userId: row.user_id, userEmail: 'ada@example.com' });
    expect(toWithdrawalDto(row, explorers)).not.toHaveProperty('userId');
  });
});
