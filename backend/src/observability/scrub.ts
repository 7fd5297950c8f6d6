/**
 * What leaves for the error tracker carries no personal data and no secret (docs/ARCHITECTURE.md "Observability"):
 * emails, access and refresh tokens, cookies, passwords, one-time codes and crypto addresses are replaced, wherever
 * they are in an event: the request, the exception's message, breadcrumbs, tags, extra data.
 */

export const FILTERED = '[Filtered]';

/** Keys whose value is dropped whatever it is. */
const SECRET_KEY =
  /pass(word)?|secret|token|authori[sz]ation|cookie|session|sid$|^code$|otp|backup.?codes?|mnemonic|seed|e.?mail|address|^ip$|ip.?address|api.?key|signature|x-csrf/i;

/** Structural fields of an event that look like tokens but are not personal: they stay as they are. */
const KEEP_KEY =
  /^(event_id|trace_id|span_id|parent_span_id|public_key|release|environment|filename|abs_path|module|function|platform|level|type|sdk|debug_id)$/;

/** Replacements in free text, in this order (a JWT before the long-token rule, which would take its parts). */
const PATTERNS: [RegExp, string][] = [
  [/\bBearer\s+[^\s"',;]+/gi, 'Bearer [token]'],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[token]'],
  [/[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/g, '[email]'],
  // EVM (0x + 40 hex digits).
  [/\b0x[0-9a-fA-F]{40}\b/g, '[address]'],
  // bech32 (bc1…, ltc1…, tb1…): a human-readable part, "1", then at least 20 characters of the bech32 alphabet.
  [/\b[a-z]{2,4}1[02-9ac-hj-np-z]{20,}\b/gi, '[address]'],
  // base58 addresses (Bitcoin and Litecoin legacy, Tron, Dogecoin, XRP, Solana): 25 to 44 characters of the base58
  // alphabet with at least one digit and one letter.
  [/\b(?=[1-9A-HJ-NP-Za-km-z]*\d)(?=[1-9A-HJ-NP-Za-km-z]*[A-Za-z])[1-9A-HJ-NP-Za-km-z]{25,44}\b/g, '[address]'],
  // Refresh tokens, reset links' tokens, CSRF tokens, API keys: 32 or more base64url characters.
  // Not a UUID (request and record ids), which has the same alphabet.
  [/(?<![A-Za-z0-9_-])(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9_-]))[A-Za-z0-9_-]{32,}/g, '[token]'],
  // One-time codes (TOTP, email verification): six digits standing alone (not part of a decimal, a longer number or
  // an id such as a UUID, whose groups may hold six digits in a row).
  [/(?<![\w.,-])\d{6}(?![\w.,-])/g, '[code]'],
];

/** `text` with every email, token, address and one-time code in it replaced. */
export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A deep copy of `value` with secret keys dropped and every string scrubbed (cycles and depth bounded). */
export function scrubValue(value: unknown, key = '', depth = 0, seen = new WeakSet<object>()): unknown {
  if (key && !KEEP_KEY.test(key) && SECRET_KEY.test(key)) return value === undefined || value === null ? value : FILTERED;
  if (typeof value === 'string') return KEEP_KEY.test(key) ? value : scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 12 || seen.has(value)) return FILTERED;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, '', depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubValue(v, k, depth + 1, seen);
  return out;
}

/** Request headers an event keeps (lower case); every other one, Authorization and Cookie among them, is dropped. */
export const KEPT_HEADERS = ['accept', 'accept-language', 'content-length', 'content-type', 'host', 'user-agent', 'x-request-id'];

/** The request part of an event: method, path and a few harmless headers; no body, cookies, query string or client address. */
export function scrubRequest(request: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof request.method === 'string') out.method = request.method;
  if (typeof request.url === 'string') out.url = scrubText(request.url.split('?')[0]);
  const headers = request.headers;
  if (headers && typeof headers === 'object') {
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
      if (KEPT_HEADERS.includes(name.toLowerCase()) && typeof value === 'string') kept[name] = scrubText(value);
    }
    out.headers = kept;
  }
  return out;
}

/** An error event as it leaves for the tracker: the request reduced (scrubRequest), no user, everything else scrubbed. */
export function scrubEvent<E extends object>(event: E): E {
  const { request, user: _user, ...rest } = event as Record<string, unknown>;
  const out = scrubValue(rest) as Record<string, unknown>;
  if (request && typeof request === 'object') out.request = scrubRequest(request as Record<string, unknown>);
  return out as E;
}
