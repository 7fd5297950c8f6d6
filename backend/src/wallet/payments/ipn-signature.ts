import { createHmac, timingSafeEqual } from 'node:crypto';

/** Recursively sorts object keys, as NOWPayments does before signing an IPN. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return Object.keys(obj)
      .sort()
      .reduce<Record<string, unknown>>((acc, key) => {
        acc[key] = sortKeysDeep(obj[key]);
        return acc;
      }, {});
  }
  return value;
}

/** `x-nowpayments-sig`: hex HMAC-SHA512 of the body re-serialised with sorted keys. */
export function signIpn(body: unknown, secret: string): string {
  return createHmac('sha512', secret).update(JSON.stringify(sortKeysDeep(body))).digest('hex');
}

/**
 * Constant-time check of an IPN signature. Always verified: an empty secret
 * or a missing/malformed signature is a failure, never a pass.
 */
export function verifyIpnSignature(body: unknown, signature: string | undefined, secret: string | undefined): boolean {
  if (!secret || typeof signature !== 'string' || !/^[0-9a-f]{128}$/i.test(signature)) return false;
  if (body === null || typeof body !== 'object') return false;
  const expected = Buffer.from(signIpn(body, secret), 'hex');
  const given = Buffer.from(signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
