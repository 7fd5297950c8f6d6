/** An Ed25519 key pair made in the browser: the public key as the API takes it, the private key for the owner to keep. */
export interface GeneratedKeyPair {
  /** base64 of the raw 32-byte public key. */
  publicKey: string;
  /** The private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), what Node, OpenSSL and most libraries read. */
  privateKeyPem: string;
}

function base64(bytes: ArrayBuffer): string {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text);
}

/** A fresh key pair from WebCrypto (rejects where the browser has no Ed25519). */
export async function generateEd25519KeyPair(): Promise<GeneratedKeyPair> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const raw = await crypto.subtle.exportKey('raw', pair.publicKey);
  const pkcs8 = base64(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const lines = pkcs8.match(/.{1,64}/g) ?? [];
  return { publicKey: base64(raw), privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n` };
}
