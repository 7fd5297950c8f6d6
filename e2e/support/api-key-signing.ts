import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * Signing requests with a CryptoVault API key (docs/API.md "API keys"), self-contained: Node's crypto only, no
 * project code, so a client library can copy it as it is.
 *
 * A key is an Ed25519 key pair. Register the public key (`publicKeyBase64`) with POST /api/auth/api-keys; keep the
 * private key. Every request then carries:
 *   CV-API-KEY        the key id the server answered
 *   CV-API-TIMESTAMP  milliseconds since the Unix epoch (within 30 s of the server's clock by default)
 *   CV-API-NONCE      16–64 characters of [A-Za-z0-9_-], new for every request
 *   CV-API-SIGNATURE  base64 of the Ed25519 signature of
 *                     timestamp "\n" nonce "\n" METHOD "\n" path-with-query "\n" hex(sha256(body))
 * The path with its query must be exactly what goes on the request line, and the body exactly the bytes sent
 * (sign the string you send, not an object serialised again); no body hashes the empty string.
 */
export interface ApiKeyPair {
  privateKey: KeyObject;
  /** base64 of the raw 32-byte public key: what POST /api/auth/api-keys takes as `publicKey`. */
  publicKeyBase64: string;
}

/** A fresh Ed25519 key pair. */
export function generateApiKeyPair(): ApiKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  // The SPKI DER of an Ed25519 key is a 12-byte header followed by the 32-byte key.
  return { privateKey, publicKeyBase64: publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64') };
}

/** A private key from its PEM (PKCS#8 "PRIVATE KEY"). */
export function privateKeyFromPem(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export interface SignOptions {
  method: string;
  /** The path with its query string, exactly as sent: `/api/orders?status=open`. */
  pathWithQuery: string;
  /** The exact body text sent (JSON), or nothing. */
  body?: string;
  /** Milliseconds since the epoch; default now. */
  timestamp?: number;
  /** Default: 24 random base64url characters. */
  nonce?: string;
}

/** The string a request's signature covers. */
export function canonicalRequestString(timestamp: string, nonce: string, method: string, pathWithQuery: string, body = ''): string {
  const bodyHash = createHash('sha256').update(body, 'utf8').digest('hex');
  return [timestamp, nonce, method.toUpperCase(), pathWithQuery, bodyHash].join('\n');
}

/** The four CV-API-* headers of one request (add `Content-Type: application/json` when there is a body). */
export function signApiKeyRequest(keyId: string, privateKey: KeyObject, opts: SignOptions): Record<string, string> {
  const timestamp = String(opts.timestamp ?? Date.now());
  const nonce = opts.nonce ?? randomBytes(18).toString('base64url');
  const canonical = canonicalRequestString(timestamp, nonce, opts.method, opts.pathWithQuery, opts.body ?? '');
  return {
    'CV-API-KEY': keyId,
    'CV-API-TIMESTAMP': timestamp,
    'CV-API-NONCE': nonce,
    'CV-API-SIGNATURE': sign(null, Buffer.from(canonical, 'utf8'), privateKey).toString('base64'),
  };
}
