import { signIpn, verifyIpnSignature } from './ipn-signature';
import { lookupDateFrom, payoutTotp } from './nowpayments.client';
import { readPayoutObject } from './payout-object';

/** A payout status IPN as NOWPayments sends it: the withdrawal of the batch. */
const ipn = {
  id: '5000000713',
  batch_withdrawal_id: '5000000191',
  status: 'FINISHED',
  error: null,
  currency: 'btc',
  amount: 0.0015,
  address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  extra_id: null,
  hash: 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16',
  ipn_callback_url: 'https://cryptovault.example/api/wallet/webhook/nowpayments/payouts',
  payout_description: null,
  is_request_payouts: false,
  unique_external_id: 'a3f1c2d4-0000-4000-8000-000000000001',
  created_at: '2025-11-28T10:00:00.000Z',
  requested_at: '2025-11-28T10:00:05.000Z',
  updated_at: '2025-11-28T10:20:00.000Z',
};

describe('NOWPayments payout objects', () => {
  it('reads a status IPN: ids, status in any case, amount as a decimal string, the hash and our id', () => {
    expect(readPayoutObject({ ...ipn, status: 'finished' })).toEqual({
      ok: true,
      payout: {
        payoutId: '5000000713',
        batchId: '5000000191',
        externalId: 'a3f1c2d4-0000-4000-8000-000000000001',
        status: 'FINISHED',
        currency: 'btc',
        amount: '0.0015',
        address: ipn.address,
        hash: ipn.hash,
        error: null,
        createdAt: new Date('2025-11-28T10:00:00.000Z'),
      },
    });
    // The create answer carries the batch id on the batch, not on each withdrawal.
    const { batch_withdrawal_id: _batch, ...withoutBatch } = ipn;
    expect(readPayoutObject({ ...withoutBatch, amount: '0.00150000' }, '5000000191')).toMatchObject({
      ok: true,
      payout: { batchId: '5000000191', amount: '0.0015' },
    });
  });

  it('lists what is malformed instead of guessing', () => {
    expect(readPayoutObject({ ...ipn, id: 'x', status: 'DONE', amount: -1, hash: '<script>', address: '' })).toEqual({
      ok: false,
      problems: [
        'id is missing or not numeric',
        'status is not a known payout status',
        'amount is not a decimal',
        'address is missing',
        'hash is not a transaction hash',
      ],
    });
    expect(readPayoutObject('FINISHED')).toMatchObject({ ok: false });
  });

  it('signs a payout IPN as payment IPNs are signed (HMAC-SHA512 of the sorted body): a changed amount or address fails', () => {
    const sig = signIpn(ipn, 'ipn-secret');
    expect(verifyIpnSignature(Object.fromEntries(Object.entries(ipn).reverse()), sig, 'ipn-secret')).toBe(true);
    expect(verifyIpnSignature({ ...ipn, amount: 15 }, sig, 'ipn-secret')).toBe(false);
    expect(verifyIpnSignature({ ...ipn, address: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT' }, sig, 'ipn-secret')).toBe(false);
    expect(verifyIpnSignature(ipn, signIpn(ipn, 'other'), 'ipn-secret')).toBe(false);
  });

  it('verifies with the payout account’s TOTP code (RFC 6238, SHA-1, 6 digits, 30 s)', () => {
    // RFC 6238 appendix B: the secret "12345678901234567890" at 59 s gives 94287082; six digits: 287082.
    expect(payoutTotp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000)).toBe('287082');
    expect(payoutTotp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1_111_111_109_000)).toBe('081804');
  });

  it('looks a payout up from the day before it was planned, as a date', () => {
    expect(lookupDateFrom(new Date('2025-11-28T00:30:00Z'))).toBe('2025-11-27');
  });
});
