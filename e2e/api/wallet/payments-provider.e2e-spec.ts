import { createServer } from 'node:http';
import { verifyIpnSignature } from '../../../backend/src/wallet/payments/ipn-signature';
import { NowPaymentsClient, payoutTotp } from '../../../backend/src/wallet/payments/nowpayments.client';
import { PaymentProviderError } from '../../../backend/src/wallet/payments/payment-provider';
import { FakeNowPayments } from '../../support/fakes/nowpayments';

describe('NOWPayments client against a local NOWPayments', () => {
  let np: FakeNowPayments;
  beforeAll(async () => {
    np = await new FakeNowPayments().start();
  });
  afterAll(async () => np.stop());

  it('creates a payment with the API key and reads back its address and amounts as decimal strings', async () => {
    const client = new NowPaymentsClient(np.url, np.apiKey);
    const created = await client.createPayment({
      orderId: 'dep-1',
      priceAmount: '250.00',
      priceCurrency: 'usd',
      payCurrency: 'btc',
      ipnCallbackUrl: 'http://127.0.0.1:1/ipn',
      description: 'Deposit',
    });
    expect(created).toMatchObject({ status: 'waiting', payCurrency: 'btc', priceAmount: '250', priceCurrency: 'usd', orderId: 'dep-1' });
    expect(created.payAddress).toMatch(/^bc1/);
    expect(created.payAmount).toMatch(/^0\.\d+$/);
    expect(created.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    const fetched = await client.getPayment(created.paymentId);
    expect(fetched).toEqual(created);
    expect(np.requests.every((r) => r.apiKey === np.apiKey)).toBe(true);
  });

  it('prices a deposit in kind in the currency paid, so the amount to send is the amount asked', async () => {
    const client = new NowPaymentsClient(np.url, np.apiKey);
    const created = await client.createPayment({
      orderId: 'dep-3',
      priceAmount: '0.05',
      priceCurrency: 'btc',
      payCurrency: 'btc',
      ipnCallbackUrl: 'http://127.0.0.1:1/ipn',
      description: 'Deposit',
    });
    expect(created).toMatchObject({ priceAmount: '0.05', priceCurrency: 'btc', payCurrency: 'btc', payAmount: '0.05' });
    expect(np.byOrderId('dep-3')).toMatchObject({ price_amount: 0.05, price_currency: 'btc', pay_currency: 'btc' });
  });

  it('reports a rejected API key and an unsupported currency as provider errors with the status', async () => {
    await expect(new NowPaymentsClient(np.url, 'wrong').getPayment('123')).rejects.toMatchObject({ status: 403 });
    await expect(
      new NowPaymentsClient(np.url, np.apiKey).createPayment({
        orderId: 'x',
        priceAmount: '10',
        priceCurrency: 'usd',
        payCurrency: 'doge',
        ipnCallbackUrl: 'http://x',
        description: '',
      }),
    ).rejects.toBeInstanceOf(PaymentProviderError);
  });

  it('delivers IPNs signed so that our verifier accepts them, and only with the right secret', async () => {
    const received: { body: unknown; sig: string | undefined }[] = [];
    const hook = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received.push({ body: JSON.parse(raw), sig: req.headers['x-nowpayments-sig'] as string | undefined });
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const port = (hook.address() as { port: number }).port;
    const client = new NowPaymentsClient(np.url, np.apiKey);
    const p = await client.createPayment({
      orderId: 'dep-2',
      priceAmount: '100',
      priceCurrency: 'usd',
      payCurrency: 'eth',
      ipnCallbackUrl: `http://127.0.0.1:${port}/ipn`,
      description: 'Deposit',
    });
    expect(await np.sendIpn(Number(p.paymentId), 'finished')).toBe(200);
    expect(await np.sendIpn(Number(p.paymentId), 'finished', { secret: 'attacker' })).toBe(200);
    hook.close();
    expect(received).toHaveLength(2);
    expect(verifyIpnSignature(received[0].body, received[0].sig, np.ipnSecret)).toBe(true);
    expect(verifyIpnSignature(received[1].body, received[1].sig, np.ipnSecret)).toBe(false);
    expect(received[0].body).toMatchObject({ payment_status: 'finished', order_id: 'dep-2', price_amount: 100 });
  });
});

describe('NOWPayments payouts client against a local NOWPayments', () => {
  let np: FakeNowPayments;
  let client: NowPaymentsClient;
  beforeAll(async () => {
    np = await new FakeNowPayments().start();
    client = new NowPaymentsClient(np.url, np.apiKey, 10_000, np.payoutAccount);
  });
  afterAll(async () => np.stop());

  const request = (externalId: string) => ({
    externalId,
    currency: 'btc',
    amount: '0.0015',
    address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    ipnCallbackUrl: 'http://127.0.0.1:1/api/wallet/webhook/nowpayments/payouts',
    description: 'CryptoVault withdrawal',
  });

  it('signs in for a token, creates a batch of one withdrawal with our id, verifies it with the account’s TOTP code and reads it back', async () => {
    const created = await client.createPayout(request('a3f1c2d4-0000-4000-8000-000000000001'));
    expect(created).toMatchObject({ status: 'CREATING', currency: 'btc', amount: '0.0015', externalId: 'a3f1c2d4-0000-4000-8000-000000000001', hash: null });
    expect(np.payoutsFor('a3f1c2d4-0000-4000-8000-000000000001')).toEqual([
      expect.objectContaining({ id: created.payoutId, batch_withdrawal_id: created.batchId }),
    ]);
    await client.verifyPayout(created.batchId);
    expect(await client.getPayout(created.batchId)).toEqual([expect.objectContaining({ payoutId: created.payoutId, status: 'WAITING' })]);
    expect(np.requests.filter((r) => r.path === '/v1/auth')).toHaveLength(1);
    // A wrong code is refused by the provider, as a provider error with its status.
    await expect(
      new NowPaymentsClient(np.url, np.apiKey, 10_000, { ...np.payoutAccount, totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' }).verifyPayout(created.batchId),
    ).rejects.toMatchObject({
      status: 400,
    });
    expect(payoutTotp(np.payoutAccount.totpSecret)).toMatch(/^\d{6}$/);
  });

  it('finds a payout by unique_external_id through the paged list from the day before, and signs in again when the token expired', async () => {
    const first = await client.createPayout(request('b3f1c2d4-0000-4000-8000-000000000001'));
    // 150 newer payouts: the lookup reads the list newest first, page by page.
    const later = new Date(Date.now() + 60_000).toISOString();
    for (let i = 0; i < 150; i++) {
      const id = String(6_000_000_000 + i);
      np.payouts.set(id, { ...np.payouts.get(first.payoutId)!, id, batch_withdrawal_id: id, unique_external_id: `other-${i}`, created_at: later });
    }
    np.expireTokens();
    const lists = () => np.requests.filter((r) => r.method === 'GET' && r.path === '/v1/payout').length;
    const before = lists();
    const signIns = np.requests.filter((r) => r.path === '/v1/auth').length;
    expect(await client.findPayout('b3f1c2d4-0000-4000-8000-000000000001', new Date())).toMatchObject({ payoutId: first.payoutId, status: 'CREATING' });
    // One refused with the expired token (401), a new sign-in, then the two pages it takes.
    expect(lists() - before).toBe(3);
    expect(np.requests.filter((r) => r.path === '/v1/auth').length - signIns).toBe(1);
    expect(await client.findPayout('c3f1c2d4-0000-4000-8000-000000000001', new Date())).toBeUndefined();
    // Nothing before the day before it was planned is read.
    expect(await client.findPayout('b3f1c2d4-0000-4000-8000-000000000001', new Date(Date.now() + 3 * 86_400_000))).toBeUndefined();
  });

  it('reads the account’s balance per currency as decimal strings; without a payout account it sends no payout', async () => {
    np.setBalance('btc', 1.25, 0.5);
    np.setBalance('usdttrc20', 300);
    expect(await client.balances()).toEqual(
      expect.arrayContaining([
        { currency: 'btc', amount: '1.25', pending: '0.5' },
        { currency: 'usdttrc20', amount: '300', pending: '0' },
      ]),
    );
    const bare = new NowPaymentsClient(np.url, np.apiKey);
    expect(bare.payoutsEnabled).toBe(false);
    await expect(bare.createPayout(request('d3f1c2d4-0000-4000-8000-000000000001'))).rejects.toBeInstanceOf(PaymentProviderError);
    expect(await bare.balances()).toEqual(expect.arrayContaining([{ currency: 'btc', amount: '1.25', pending: '0.5' }]));
  });
});
