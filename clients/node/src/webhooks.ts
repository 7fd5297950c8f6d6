import { createHmac, timingSafeEqual } from 'node:crypto';
import type { components } from './generated/openapi';

/**
 * Webhooks: CryptoVault POSTs a JSON event to the URL registered for an API key, with
 *
 *   CryptoVault-Event-Id:   the event's id (the same on every retry of it)
 *   CryptoVault-Signature:  t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *
 * where `secret` is the endpoint's signing secret (`whsec_…`, shown once when the endpoint is registered). Verify the
 * signature over the raw body bytes as received, before parsing them; a delivery can come more than once (retries), so
 * de-duplicate by the event's `id`.
 */
export const WEBHOOK_HEADERS = {
  eventId: 'CryptoVault-Event-Id',
  signature: 'CryptoVault-Signature',
} as const;

export const WEBHOOK_EVENT_TYPES = ['order.filled', 'order.cancelled', 'deposit.credited', 'withdrawal.updated', 'alert.triggered'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

type Schemas = components['schemas'];
/** What each event's `data` is: the object as the REST API shows it (decimal strings for money, ISO times). */
export interface WebhookEventData {
  /** The order (GET /api/orders/{id}'s `order`). */
  'order.filled': Schemas['OrderDto'];
  /** The order, `status` "cancelled" or "rejected". */
  'order.cancelled': Schemas['OrderDto'];
  /** The deposit (GET /api/wallet/deposit/{orderId}'s `deposit`). */
  'deposit.credited': Schemas['DepositResponseDto']['deposit'];
  /** The withdrawal (GET /api/wallet/withdraw/{id}'s `withdrawal`). */
  'withdrawal.updated': Schemas['WithdrawalResponseDto']['withdrawal'];
  /** The alert (GET /api/alerts/{id}). */
  'alert.triggered': Schemas['AlertDto'];
}

/**
 * One delivered event: `{id, type, createdAt, data}`, typed by `type` (narrow with `switch (event.type)`). A type
 * added to the API after this client was generated comes through as it is: ignore the types you do not handle.
 */
export type WebhookEvent = {
  [T in WebhookEventType]: { id: string; type: T; /** ISO 8601. */ createdAt: string; data: WebhookEventData[T] };
}[WebhookEventType];

export type WebhookFailure = 'MISSING_SIGNATURE' | 'MALFORMED_SIGNATURE' | 'TIMESTAMP_OUT_OF_TOLERANCE' | 'SIGNATURE_MISMATCH' | 'MALFORMED_EVENT';

/** A delivery that is not provably ours, or not an event: answer it 400 and do nothing with it. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly reason: WebhookFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifyWebhookOptions {
  /** The endpoint's signing secret (`whsec_…`). */
  secret: string;
  /** The CryptoVault-Signature header as received (Node's `req.headers['cryptovault-signature']`). */
  signatureHeader: string | string[] | undefined | null;
  /** The body exactly as received, before any JSON parsing. */
  rawBody: string | Uint8Array;
  /** How far the signed time may be from now, either way; default 300 s (replays of an old delivery are refused). */
  toleranceSeconds?: number;
  /** Now, in milliseconds since the epoch (tests); default Date.now(). */
  now?: number;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** hex(HMAC-SHA256(secret, `${timestamp}.${rawBody}`)). */
function webhookDigest(secret: string, timestamp: string, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(rawBody).digest('hex');
}

/**
 * The event of a delivery whose CryptoVault-Signature is valid for `secret` and recent; throws a
 * WebhookVerificationError otherwise (a missing or malformed header, a time outside the tolerance, a signature by
 * another secret or over other bytes, a body that is not an event). Several `v1=` entries are accepted (any may match).
 */
export function verifyWebhook(options: VerifyWebhookOptions): WebhookEvent {
  const { secret, rawBody } = options;
  if (typeof secret !== 'string' || secret.length === 0) throw new TypeError('verifyWebhook: secret is required');
  const tolerance = options.toleranceSeconds ?? 300;
  const header = Array.isArray(options.signatureHeader) ? options.signatureHeader.join(',') : options.signatureHeader;
  if (!header) throw new WebhookVerificationError('MISSING_SIGNATURE', `No ${WEBHOOK_HEADERS.signature} header`);

  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) {
    throw new WebhookVerificationError('MALFORMED_SIGNATURE', `${WEBHOOK_HEADERS.signature} must be t=<unix seconds>,v1=<hex>`);
  }
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError('TIMESTAMP_OUT_OF_TOLERANCE', `The signed time is more than ${tolerance} s from now`);
  }
  const expected = Buffer.from(webhookDigest(secret, timestamp, rawBody), 'hex');
  const matches = signatures.some((s) => HEX_SHA256.test(s) && timingSafeEqual(Buffer.from(s, 'hex'), expected));
  if (!matches) throw new WebhookVerificationError('SIGNATURE_MISMATCH', 'No v1 signature matches this secret and body');

  let event: unknown;
  try {
    event = JSON.parse(typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8'));
  } catch {
    throw new WebhookVerificationError('MALFORMED_EVENT', 'The body is not JSON');
  }
  const e = event as { id?: unknown; type?: unknown; createdAt?: unknown; data?: unknown } | null;
  if (
    !e ||
    typeof e !== 'object' ||
    typeof e.id !== 'string' ||
    typeof e.type !== 'string' ||
    typeof e.createdAt !== 'string' ||
    !e.data ||
    typeof e.data !== 'object' ||
    Array.isArray(e.data)
  ) {
    throw new WebhookVerificationError('MALFORMED_EVENT', 'The body is not an event {id, type, createdAt, data}');
  }
  return e as WebhookEvent;
}

/**
 * The CryptoVault-Signature value for a body, as CryptoVault computes it: for testing your own webhook handler
 * (send it a delivery signed with your endpoint's secret). `timestamp` in seconds; default now.
 */
export function webhookSignatureHeader(options: { secret: string; rawBody: string | Uint8Array; timestamp?: number }): string {
  const t = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return `t=${t},v1=${webhookDigest(options.secret, t, options.rawBody)}`;
}
