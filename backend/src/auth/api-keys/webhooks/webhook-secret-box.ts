import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppConfig } from '../../../config/config.service';

/** The format byte of a sealed secret: 1 = AES-256-GCM, 12-byte nonce, 16-byte tag, the endpoint id as associated data. */
const FORMAT = 1;

/** Seals a signing secret under `key` (32 bytes), bound to its endpoint (`aad`): a sealed secret copied onto another row does not open. */
export function sealSecret(key: Buffer, secret: string, aad: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), nonce, cipher.getAuthTag(), body]);
}

/** Opens what sealSecret made; throws when the key, the endpoint or a byte differs. */
export function openSecret(key: Buffer, sealed: Buffer, aad: string): string {
  if (sealed.length < 29 || sealed[0] !== FORMAT) throw new Error('not a sealed webhook secret');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
}

/** The key development and tests use when WEBHOOK_SECRET_KEY is unset: derived from the JWT secret (HKDF-SHA256). */
export function derivedWebhookKey(jwtSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', jwtSecret, 'cryptovault', 'webhook signing secrets v1', 32));
}

/**
 * Keeps the endpoints' signing secrets encrypted at rest (API.md "Webhooks", "Why the secret is stored encrypted"):
 * the sender must read a secret back to sign each delivery (HMAC needs the secret itself, unlike the API keys'
 * Ed25519, where we keep only the public half), so it is sealed with AES-256-GCM under WEBHOOK_SECRET_KEY and a copy
 * of the database alone (a backup, a leaked dump) signs nothing. Never logged.
 */
@Injectable()
export class WebhookSecretBox {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = config.values.webhooks.secretKey ?? derivedWebhookKey(config.values.jwtSecret);
  }

  seal(secret: string, endpointId: string): Buffer {
    return sealSecret(this.key, secret, endpointId);
  }

  open(sealed: Buffer, endpointId: string): string {
    return openSecret(this.key, sealed, endpointId);
  }
}
