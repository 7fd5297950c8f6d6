import { createHmac, timingSafeEqual } from 'node:crypto';

/** Deeper than any IPN NOWPayments sends (3 levels) and than the JSON parser lets through: refused, never recursed into. */
export const MAX_IPN_DEPTH = 32;

/**
 * Recursively sorts object keys, as NOWPayments does before signing an IPN.
 * Throws a RangeError past `MAX_IPN_DEPTH` levels instead of overflowing the stack.
 */
export function sortKeysDeep(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_IPN_DEPTH) throw new RangeError(`IPN body nested deeper than ${MAX_IPN_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((v) => sortKeysDeep(v, depth + 1));
  const obj = value as Record<string, unknown>;
  // No prototype: a `__proto__` key in the body stays a key (as JSON.parse made it), never a prototype.
  const sorted = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(obj).sort()) sorted[key] = sortKeysDeep(obj[key], depth + 1);
  return sorted;
}

/** `x-nowpayments-sig`: hex HMAC-SHA512 of the body re-serialised with sorted keys. */
export function signIpn(body: unknown, secret: string): string {
  return createHmac('sha512', secret)
    .update(JSON.stringify(sortKeysDeep(body)))
    .digest('hex');
}

/**
 * Constant-time check of an IPN signature. Always verified: an empty secret
 * or a missing/malformed signature is a failure, never a pass.
 */
export function verifyIpnSignature(body: unknown, signature: string | undefined, secret: string | undefined): boolean {
  if (!secret || typeof signature !== 'string' || !/^[0-9a-f]{128}$/i.test(signature)) return false;
  if (body === null || typeof body !== 'object') return false;
  let expected: Buffer;
  try {
    expected = Buffer.from(signIpn(body, secret), 'hex');
  } catch (e) {
    if (e instanceof RangeError) return false; // nested too deeply to be an IPN
    throw e;
  }
  const given = Buffer.from(signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
