import { signIpn, sortKeysDeep, verifyIpnSignature } from './ipn-signature';

const ipn = {
  payment_id: 5077125051,
  payment_status: 'finished',
  pay_address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  price_amount: 100,
  price_currency: 'usd',
  pay_amount: 0.00104,
  actually_paid: 0.00104,
  pay_currency: 'btc',
  order_id: 'a3f1c2d4-0000-4000-8000-000000000001',
  fee: { currency: 'btc', depositFee: 0, withdrawalFee: 0, serviceFee: 0 },
};

describe('NOWPayments IPN signature', () => {
  it('sorts keys at every depth before signing', () => {
    expect(JSON.stringify(sortKeysDeep({ b: 1, a: { d: 2, c: [{ f: 1, e: 2 }] } }))).toBe('{"a":{"c":[{"e":2,"f":1}],"d":2},"b":1}');
  });

  it('accepts the signature the provider computes, whatever the key order it was sent in', () => {
    const sig = signIpn(ipn, 'ipn-secret');
    const reordered = Object.fromEntries(Object.entries(ipn).reverse());
    expect(verifyIpnSignature(reordered, sig, 'ipn-secret')).toBe(true);
  });

  it('refuses a body changed after signing, a wrong key, a missing signature, an unconfigured secret and a body that is not an object', () => {
    const sig = signIpn(ipn, 'ipn-secret');
    expect(verifyIpnSignature({ ...ipn, price_amount: 1000 }, sig, 'ipn-secret')).toBe(false);
    expect(verifyIpnSignature(ipn, signIpn(ipn, 'other-secret'), 'ipn-secret')).toBe(false);
    expect(verifyIpnSignature(ipn, undefined, 'ipn-secret')).toBe(false);
    expect(verifyIpnSignature(ipn, 'not-hex', 'ipn-secret')).toBe(false);
    expect(verifyIpnSignature(ipn, sig, undefined)).toBe(false);
    expect(verifyIpnSignature(ipn, sig, '')).toBe(false);
    expect(verifyIpnSignature(undefined, sig, 'ipn-secret')).toBe(false);
    expect(verifyIpnSignature('finished', sig, 'ipn-secret')).toBe(false);
  });

  it('refuses a body nested deeper than any IPN without overflowing the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(verifyIpnSignature({ ...ipn, x: deep }, 'a'.repeat(128), 'ipn-secret')).toBe(false);
    expect(() => signIpn({ x: deep }, 'ipn-secret')).toThrow(RangeError);
  });

  it('keeps a __proto__ key a key when re-serialising', () => {
    const body = JSON.parse('{"b":1,"__proto__":{"a":2}}') as Record<string, unknown>;
    expect(JSON.stringify(sortKeysDeep(body))).toBe('{"__proto__":{"a":2},"b":1}');
  });
});
