import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';

/**
 * The request signature of API keys (API.md "API keys"). A key is an Ed25519 key pair: the integrator keeps the
 * private key, we store only the public key, so a copy of our database signs nothing and there is no server-side
 * secret to encrypt or rotate. Each request carries four headers and is signed over one canonical string:
 *
 *   CV-API-KEY        the key's id (a UUID)
 *   CV-API-TIMESTAMP  milliseconds since the Unix epoch (an integer), within API_KEY_WINDOW_SECONDS of the server's clock
 *   CV-API-NONCE      16 to 64 characters of [A-Za-z0-9_-], never used twice by a key
 *   CV-API-SIGNATURE  base64 of the 64-byte Ed25519 signature of the canonical string (UTF-8)
 *
 *   canonical = timestamp "\n" nonce "\n" METHOD "\n" path-with-query "\n" hex(sha256(raw body))
 *
 * The path with its query is exactly as sent on the request line (`/api/orders?limit=5`), the method in upper case,
 * and the body hash is over the bytes sent (the SHA-256 of nothing, `e3b0c442…b855`, for a request without a body).
 */
export const API_KEY_HEADERS = {
  key: 'cv-api-key',
  timestamp: 'cv-api-timestamp',
  nonce: 'cv-api-nonce',
  signature: 'cv-api-signature',
} as const;

/** hex(sha256('')): the body hash of a GET, a DELETE or any request without a body. */
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const TIMESTAMP_PATTERN = /^\d{1,16}$/;
const SIGNATURE_PATTERN = /^[A-Za-z0-9+/]{86}==$/;

export interface SignedRequestParts {
  timestamp: string;
  nonce: string;
  method: string;
  /** The path with its query string, exactly as sent on the request line. */
  pathWithQuery: string;
  /** The raw body bytes (undefined or empty: no body). */
  body?: Uint8Array | string;
}

/** hex(sha256(body)); the empty-body hash for no body. */
export function bodySha256(body: Uint8Array | string | undefined): string {
  if (body === undefined || body.length === 0) return EMPTY_BODY_SHA256;
  return createHash('sha256').update(body).digest('hex');
}

/** The string an API key signs for a request. */
export function canonicalString(parts: SignedRequestParts): string {
  return [parts.timestamp, parts.nonce, parts.method.toUpperCase(), parts.pathWithQuery, bodySha256(parts.body)].join('\n');
}

/** The four CV-API-* header values of a request, when each is present once and well-formed; else undefined. */
export interface ApiKeyHeaders {
  keyId: string;
  timestamp: string;
  timestampMs: number;
  nonce: string;
  signature: Buffer;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The parsed headers, or the name of the first one missing or malformed. */
export function parseApiKeyHeaders(headers: Record<string, string | string[] | undefined>): ApiKeyHeaders | { invalid: string } {
  const one = (name: string): string | undefined => {
    const v = headers[name];
    return typeof v === 'string' ? v.trim() : undefined;
  };
  const keyId = one(API_KEY_HEADERS.key);
  if (!keyId || !UUID.test(keyId)) return { invalid: 'CV-API-KEY' };
  const timestamp = one(API_KEY_HEADERS.timestamp);
  if (!timestamp || !TIMESTAMP_PATTERN.test(timestamp)) return { invalid: 'CV-API-TIMESTAMP' };
  const nonce = one(API_KEY_HEADERS.nonce);
  if (!nonce || !NONCE_PATTERN.test(nonce)) return { invalid: 'CV-API-NONCE' };
  const signature = one(API_KEY_HEADERS.signature);
  if (!signature || !SIGNATURE_PATTERN.test(signature)) return { invalid: 'CV-API-SIGNATURE' };
  return { keyId: keyId.toLowerCase(), timestamp, timestampMs: Number(timestamp), nonce, signature: Buffer.from(signature, 'base64') };
}

/** Whether `signature` is the Ed25519 signature of the request's canonical string by `publicKey` (raw 32 bytes). */
export function verifyRequestSignature(publicKey: Uint8Array | KeyObject, parts: SignedRequestParts, signature: Uint8Array): boolean {
  const key = publicKey instanceof Uint8Array ? ed25519PublicKey(publicKey) : publicKey;
  try {
    return verify(null, Buffer.from(canonicalString(parts), 'utf8'), key, signature);
  } catch {
    return false;
  }
}

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING }. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A raw 32-byte Ed25519 public key as a KeyObject. */
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, Buffer.from(raw)]), format: 'der', type: 'spki' });
}

/**
 * The raw 32 bytes of an Ed25519 public key given as base64 or base64url of the raw key (what WebCrypto's
 * `exportKey('raw')` gives), or as a PEM "PUBLIC KEY" (SPKI: `openssl pkey -pubout`); undefined for anything else.
 */
export function parseEd25519PublicKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) {
    try {
      const key = createPublicKey({ key: trimmed, format: 'pem' });
      if (key.asymmetricKeyType !== 'ed25519') return undefined;
      const der = key.export({ format: 'der', type: 'spki' });
      return der.length === SPKI_PREFIX.length + 32 ? Buffer.from(der.subarray(SPKI_PREFIX.length)) : undefined;
    } catch {
      return undefined;
    }
  }
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return undefined;
  const raw = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (raw.length !== 32) return undefined;
  try {
    ed25519PublicKey(raw);
  } catch {
    return undefined;
  }
  return raw;
}
