import { createServer } from 'node:http';
import { verifyIpnSignature } from '../../../backend/src/wallet/payments/ipn-signature';
import { NowPaymentsClient } from '../../../backend/src/wallet/payments/nowpayments.client';
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
