import { API_KEY_WORKED_EXAMPLE } from './api-key-example';

/**
 * Ed25519 public keys whose private keys are published, so anyone can sign with them: our documentation's worked
 * example (API.md "API keys", the OpenAPI scheme `cvApiKey`: api-key-example.ts) and the test vectors of RFC 8032
 * §7.1 (TEST 1 is the same key as our example, and RFC 8037's JOSE example). Registering one is refused (422
 * PUBLIC_KEY_PUBLISHED), whatever its encoding (base64, base64url, PEM: compared as the raw 32 bytes). Add here any
 * key this project, its SDKs or tests publish with its private key. The migration 1764372000000 revoked the keys
 * registered with one of these before the check existed (a frozen copy of this list, as it was then).
 */
export const PUBLISHED_PUBLIC_KEYS: ReadonlyMap<string, string> = new Map([
  [Buffer.from(API_KEY_WORKED_EXAMPLE.publicKey, 'base64').toString('hex'), 'the worked example of our API documentation (RFC 8032 TEST 1)'],
  ['3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', 'RFC 8032 §7.1 TEST 2'],
  ['fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', 'RFC 8032 §7.1 TEST 3'],
  ['278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e', 'RFC 8032 §7.1 TEST 1024'],
  ['ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf', 'RFC 8032 §7.1 TEST SHA(abc)'],
]);

/** Whether the raw 32-byte public key is one whose private key is published. */
export function isPublishedPublicKey(raw: Uint8Array): boolean {
  return PUBLISHED_PUBLIC_KEYS.has(Buffer.from(raw).toString('hex'));
}
