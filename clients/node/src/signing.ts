import { createHash, createPrivateKey, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * Request signing of CryptoVault API keys (docs/API.md "API keys"). A key is an Ed25519 key pair: the server keeps the
 * public key, you keep the private one. Every request carries four headers and is signed over one canonical string:
 *
 *   CV-API-KEY        the key's id
 *   CV-API-TIMESTAMP  milliseconds since the Unix epoch (within 30 s of the server's clock)
 *   CV-API-NONCE      16–64 characters of [A-Za-z0-9_-], never used twice by the key
 *   CV-API-SIGNATURE  base64 of the Ed25519 signature of the UTF-8 string
 *
 *   timestamp "\n" nonce "\n" METHOD "\n" path-with-query "\n" hex(sha256(raw body))
 *
 * The path with its query is the request target exactly as sent; the body hash is over the exact bytes sent (the empty
 * string for a request without a body).
 */
export const API_KEY_HEADERS = {
  key: 'CV-API-KEY',
  timestamp: 'CV-API-TIMESTAMP',
  nonce: 'CV-API-NONCE',
  signature: 'CV-API-SIGNATURE',
} as const;

/** A request to sign: the method, the request target as sent, and the body text sent (if any). */
export interface RequestToSign {
  method: string;
  /** The path with its query string, exactly as on the request line: `/api/orders?status=open&limit=5`. */
  pathWithQuery: string;
  /** The exact body sent (the JSON text, not an object serialised again), or nothing. */
  body?: string | Uint8Array;
  /** Milliseconds since the Unix epoch; default now. */
  timestamp?: number;
  /** Default: 24 random base64url characters. */
  nonce?: string;
}

const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/** The string a request's signature covers. */
export function canonicalRequest(timestamp: string, nonce: string, method: string, pathWithQuery: string, body: string | Uint8Array = ''): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return [timestamp, nonce, method.toUpperCase(), pathWithQuery, bodyHash].join('\n');
}

/**
 * An Ed25519 private key from a KeyObject, a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, what the web client shows
 * once and `openssl genpkey -algorithm ed25519` writes) or its DER bytes. Throws a TypeError for anything else.
 */
export function ed25519PrivateKey(key: KeyObject | string | Uint8Array): KeyObject {
  let object: KeyObject;
  try {
    if (typeof key === 'string') object = createPrivateKey(key);
    else if (key instanceof Uint8Array) object = createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' });
    else object = key;
  } catch {
    throw new TypeError('privateKey is not a PKCS#8 private key (PEM "-----BEGIN PRIVATE KEY-----" or DER)');
  }
  if (object.type !== 'private' || object.asymmetricKeyType !== 'ed25519') throw new TypeError('privateKey must be an Ed25519 private key');
  return object;
}

/** The four CV-API-* headers of one request. */
export function signRequest(keyId: string, privateKey: KeyObject, request: RequestToSign): Record<string, string> {
  const timestamp = String(request.timestamp ?? Date.now());
  const nonce = request.nonce ?? randomBytes(18).toString('base64url');
  if (!NONCE.test(nonce)) throw new TypeError('nonce must be 16 to 64 characters of A-Z a-z 0-9 _ -');
  const canonical = canonicalRequest(timestamp, nonce, request.method, request.pathWithQuery, request.body ?? '');
  return {
    [API_KEY_HEADERS.key]: keyId,
    [API_KEY_HEADERS.timestamp]: timestamp,
    [API_KEY_HEADERS.nonce]: nonce,
    [API_KEY_HEADERS.signature]: sign(null, Buffer.from(canonical, 'utf8'), privateKey).toString('base64'),
  };
}
