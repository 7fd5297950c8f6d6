import { createHash, createPrivateKey, createSign, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';

/**
 * A software WebAuthn authenticator for tests: P-256 (ES256) keys from
 * node:crypto, attestation "none", discoverable credentials, user presence and
 * (unless told otherwise) user verification. It answers the options JSON the
 * server sends (what @simplewebauthn/browser would pass to the browser) with
 * the JSON the browser would post back, so API suites exercise the real
 * server-side verification without a browser.
 */

type Json = Record<string, unknown>;

export interface SoftCredential {
  id: string;
  rpId: string;
  /** base64url user handle the server gave at registration. */
  userHandle: string;
  counter: number;
  privateKeyPem: string;
}

export interface CeremonyOverrides {
  /** The origin written into clientDataJSON (default: the authenticator's). */
  origin?: string;
  /** The RP ID whose hash goes into authenticatorData (default: the options' RP ID). */
  rpId?: string;
  /** The signature counter to report (default: the credential's, plus one). */
  counter?: number;
  /** Which credential to use for a discoverable (empty allow-list) request (default: the newest for the RP ID). */
  credentialId?: string;
  /** Report user verification (default: the authenticator's setting). */
  userVerified?: boolean;
}

const b64url = (b: Buffer | Uint8Array): string => Buffer.from(b).toString('base64url');
const sha256 = (b: Buffer | string): Buffer => createHash('sha256').update(b).digest();

/** Just enough CBOR (RFC 8949) for attestation objects and COSE keys: maps, byte and text strings, integers. */
export function cbor(value: unknown): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 256) return Buffer.from([(major << 5) | 24, n]);
    if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const s = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, s.length), s]);
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (value instanceof Map) {
    const parts = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new Error(`cbor: unsupported ${typeof value}`);
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(
    readonly origin: string,
    readonly opts: { userVerification?: boolean } = {},
  ) {}

  /** Answers `navigator.credentials.create` options: a new ES256 credential, attestation "none". */
  register(options: Json, over: CeremonyOverrides = {}): Json {
    const rpId = (options.rp as { id: string }).id;
    const user = options.user as { id: string };
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = cbor(
      new Map<number, unknown>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x as string, 'base64url')],
        [-3, Buffer.from(jwk.y as string, 'base64url')],
      ]),
    );
    const rawId = randomBytes(32);
    const counter = over.counter ?? 0;
    const credIdLength = Buffer.alloc(2);
    credIdLength.writeUInt16BE(rawId.length);
    const authData = Buffer.concat([
      this.authDataHead(over.rpId ?? rpId, 0x40, counter, over.userVerified),
      Buffer.alloc(16), // AAGUID: none
      credIdLength,
      rawId,
      cose,
    ]);
    const clientDataJSON = this.clientData('webauthn.create', options.challenge as string, over.origin);
    const attestationObject = cbor(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const id = b64url(rawId);
    this.credentials.push({ id, rpId, userHandle: user.id, counter, privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string });
    return {
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
    };
  }

  /** Answers `navigator.credentials.get` options with an assertion (signature over authenticatorData ‖ SHA-256(clientDataJSON)). */
  authenticate(options: Json, over: CeremonyOverrides = {}): Json {
    const rpId = (options.rpId as string | undefined) ?? new URL(this.origin).hostname;
    const allow = ((options.allowCredentials as { id: string }[] | undefined) ?? []).map((c) => c.id);
    const candidates = this.credentials.filter((c) => c.rpId === rpId && (allow.length === 0 || allow.includes(c.id)));
    const cred = over.credentialId ? this.credentials.find((c) => c.id === over.credentialId) : candidates[candidates.length - 1];
    if (!cred) throw new Error(`no credential for ${rpId}`);
    const counter = over.counter ?? cred.counter + 1;
    cred.counter = Math.max(cred.counter, counter);
    const authData = this.authDataHead(over.rpId ?? rpId, 0, counter, over.userVerified);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge as string, over.origin);
    const key: KeyObject = createPrivateKey(cred.privateKeyPem);
    const signature = createSign('SHA256')
      .update(Buffer.concat([authData, sha256(clientDataJSON)]))
      .sign(key);
    return {
      id: cred.id,
      rawId: cred.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), userHandle: cred.userHandle },
    };
  }

  /** rpIdHash ‖ flags (UP, UV unless off, plus `extra`) ‖ counter. */
  private authDataHead(rpId: string, extraFlags: number, counter: number, userVerified?: boolean): Buffer {
    const uv = userVerified ?? this.opts.userVerification ?? true;
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([0x01 | (uv ? 0x04 : 0) | extraFlags]), c]);
  }

  private clientData(type: string, challenge: string, origin?: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: origin ?? this.origin, crossOrigin: false }), 'utf8');
  }
}
