import { API_KEY_HEADERS, EMPTY_BODY_SHA256 } from './api-key-signature';

/**
 * The worked example of API.md "API keys" and of the OpenAPI security scheme `cvApiKey`: a fixed key pair (the
 * private key is RFC 8032's first Ed25519 test vector, public knowledge: never use it), request and signature.
 * `api-key-signature.spec.ts` recomputes the signature, so the documents cannot drift from the code.
 */
export const API_KEY_WORKED_EXAMPLE = {
  keyId: '0b6f8c1e-3f4a-4c2d-9e5b-7a1d2c3b4e5f',
  privateKeyPem: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n',
  publicKey: '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=',
  timestamp: '1767225600000',
  nonce: 'n0nce-2026-01-01-0001',
  method: 'POST',
  pathWithQuery: '/api/orders',
  body: '{"symbol":"BTC","side":"buy","type":"market","quoteAmount":"25.00"}',
  bodySha256: '086f3dbc6aadc58ff4f8a44dca3fa9e691b7799c3187dece1fa75b540de1b0f4',
  canonical: '1767225600000\nn0nce-2026-01-01-0001\nPOST\n/api/orders\n086f3dbc6aadc58ff4f8a44dca3fa9e691b7799c3187dece1fa75b540de1b0f4',
  signature: 'ttd4CP0IDMvtTre9Nkei1ERxMabNBXwuh6XoIl48jqhrj1nH6CMrTXVUS8MouHAX+QArgIxwuZYPiDelTOtgBA==',
} as const;

/** The same key signing `GET /api/orders?status=open&limit=5` (no body: the empty-body hash). */
export const API_KEY_WORKED_EXAMPLE_GET = {
  timestamp: '1767225600000',
  nonce: 'n0nce-2026-01-01-0002',
  method: 'GET',
  pathWithQuery: '/api/orders?status=open&limit=5',
  bodySha256: EMPTY_BODY_SHA256,
  signature: 'OXmSOalPozECEdmyYfyVHhL8kkAD+XZZ7O0mGESuLuiDmVZBqjJzZMT4gXEzE9UvGgqWs+h3BbkZ5ixEAHL9DQ==',
} as const;

/** The OpenAPI description of the `cvApiKey` security scheme (openapi/document.ts). */
export function apiKeySchemeDescription(windowSeconds = 30): string {
  const e = API_KEY_WORKED_EXAMPLE;
  return [
    'Scoped API keys (Ed25519; create them under Settings → API keys, or POST /api/auth/api-keys with a step-up, and for `withdraw` a fresh two-factor code). ',
    'Send four headers on every request: ',
    `\`${header(API_KEY_HEADERS.key)}\` (the key id), \`${header(API_KEY_HEADERS.timestamp)}\` (milliseconds since the Unix epoch, `,
    `within ±${windowSeconds} s of the server's clock), \`${header(API_KEY_HEADERS.nonce)}\` (16–64 of A–Z a–z 0–9 _ -, never reused by the key) `,
    `and \`${header(API_KEY_HEADERS.signature)}\`: base64 of the Ed25519 signature of the UTF-8 string\n\n`,
    '`timestamp + "\\n" + nonce + "\\n" + METHOD + "\\n" + path-with-query + "\\n" + hex(sha256(raw body))`\n\n',
    'where the path with its query is exactly as sent and a request without a body hashes the empty string ',
    `(\`${EMPTY_BODY_SHA256}\`). `,
    'The signature is checked first: a bad signature (or unknown key) is 401 whatever else the request says. ',
    "A bad signature, a timestamp outside the window, a reused nonce, an address outside the key's IP allowlist, ",
    "a revoked or expired key answer 401; a route the key's scopes do not cover answers 403 (`read`: GETs of your data; ",
    '`trade`: orders, convert, alerts; `withdraw`: withdrawals to confirmed address-book entries). ',
    'Routes without an `x-api-key-scope` never take an API key.\n\n',
    `Worked example (RFC 8032's published test key, never use it: registering it is refused): private key \`${e.privateKeyPem.split('\n')[1]}\` (PKCS#8, base64), `,
    `public key \`${e.publicKey}\`, key id \`${e.keyId}\`, \`POST ${e.pathWithQuery}\` at \`${e.timestamp}\` with nonce \`${e.nonce}\` and body `,
    `\`${e.body}\` (sha256 \`${e.bodySha256}\`) → signature \`${e.signature}\`.`,
  ].join('');
}

function header(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase()).replace('Cv-Api', 'CV-API');
}
