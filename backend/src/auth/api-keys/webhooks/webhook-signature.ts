import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The prefix of every signing secret (`whsec_` + base64url of 32 random bytes). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** The headers of a delivery (API.md "Webhooks"). */
export const WEBHOOK_HEADERS = {
  eventId: 'CryptoVault-Event-Id',
  signature: 'CryptoVault-Signature',
  userAgent: 'CryptoVault-Webhooks/1',
} as const;

/** A new endpoint's signing secret: `whsec_` + 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** hex(HMAC-SHA256(secret, "<t>.<raw body>")): the key is the secret exactly as shown, `whsec_` included, as UTF-8. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The `CryptoVault-Signature` header: `t=<unix seconds>,v1=<hex signature>`. */
export function webhookSignatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${webhookSignature(secret, timestamp, body)}`;
}

/**
 * What a receiver does (API.md "Webhooks", "Verifying a delivery"), as our tests do it: parse `t` and every `v1`,
 * recompute the HMAC over the raw body, compare in constant time, and refuse a timestamp more than `toleranceSeconds`
 * from now (a replayed old delivery).
 */
export function verifyWebhookSignature(
  header: string | undefined,
  body: string,
  secret: string,
  opts: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.split('=', 2).map((s) => s.trim());
    if (key === 't' && /^\d{1,12}$/.test(value ?? '')) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? '')) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body), 'hex');
  return signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
}
