import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { RateLimitStorage } from '../../common/guards/rate-limit.storage';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/config.service';
import { MemoryKeyValueStore } from '../../redis/memory-twins';
import { ApiKeyAddressThrottle, API_KEY_ADDRESS_LIMITS } from './api-key-address-throttle';
import { nonceTtlMs } from './api-key-authenticator';
import { API_KEY_WORKED_EXAMPLE } from './api-key-example';
import { parseEd25519PublicKey } from './api-key-signature';
import { isPublishedPublicKey, PUBLISHED_PUBLIC_KEYS } from './published-keys';

/** RFC 8032 §7.1: the secret keys of its Ed25519 test vectors, published with the standard. */
const RFC_8032_SECRET_KEYS = [
  '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
  'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
  'f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5',
  '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
];
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const rawPublicKey = (secretHex: string): Buffer =>
  createPublicKey(createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, Buffer.from(secretHex, 'hex')]), format: 'der', type: 'pkcs8' }))
    .export({ format: 'der', type: 'spki' })
    .subarray(12);

describe('API keys whose private key is published', () => {
  it('lists the public key of every RFC 8032 test vector, the documented example among them, in any encoding', () => {
    const publics = RFC_8032_SECRET_KEYS.map(rawPublicKey);
    expect(publics.map((p) => isPublishedPublicKey(p))).toEqual(publics.map(() => true));
    expect([...PUBLISHED_PUBLIC_KEYS.keys()].sort()).toEqual(publics.map((p) => p.toString('hex')).sort());
    const example = createPublicKey(createPrivateKey(API_KEY_WORKED_EXAMPLE.privateKeyPem));
    for (const text of [
      API_KEY_WORKED_EXAMPLE.publicKey,
      Buffer.from(API_KEY_WORKED_EXAMPLE.publicKey, 'base64').toString('base64url'),
      example.export({ format: 'pem', type: 'spki' }) as string,
    ]) {
      expect(isPublishedPublicKey(parseEd25519PublicKey(text)!)).toBe(true);
    }
    const fresh = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
    expect(isPublishedPublicKey(fresh)).toBe(false);
  });
});

describe('API-key nonces', () => {
  it('are kept for the whole window on both sides plus a clock margin', () => {
    expect(nonceTtlMs(30)).toBe(90_000);
    expect(nonceTtlMs(5)).toBeGreaterThan(2 * 5_000);
  });
});

describe('the per-address throttle in front of API-key authentication', () => {
  const scale = process.env.RATE_LIMIT_SCALE;
  let throttle: ApiKeyAddressThrottle;
  beforeEach(() => {
    // 0.01: 12 requests and 1 failure a minute per address.
    process.env.RATE_LIMIT_SCALE = '0.01';
    throttle = new ApiKeyAddressThrottle(new RateLimitStorage(new MemoryKeyValueStore()), new AppConfig());
  });
  afterAll(() => {
    if (scale === undefined) delete process.env.RATE_LIMIT_SCALE;
    else process.env.RATE_LIMIT_SCALE = scale;
  });
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: AppError) => ({ status: e.status, code: e.code, retryAfter: Number(e.headers?.['Retry-After']) }),
    );

  it('refuses an address past its requests, and not another address', async () => {
    const limit = Math.round(API_KEY_ADDRESS_LIMITS.requests.limit * 0.01);
    for (let i = 0; i < limit; i++) await throttle.admit('198.51.100.1');
    expect(await refusal(throttle.admit('198.51.100.1'))).toEqual({ status: 429, code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(await refusal(throttle.admit('198.51.100.2'))).toBeNull();
  });

  it('refuses an address past its failures before anything else, however well its next request is signed; an IPv6 /64 counts as one', async () => {
    await throttle.admit('2001:db8:1:2::1');
    await throttle.failed('2001:db8:1:2::1');
    const refused = await refusal(throttle.admit('2001:db8:1:2:ffff::9'));
    expect(refused).toEqual({ status: 429, code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(refused!.retryAfter).toBeGreaterThan(0);
    expect(await refusal(throttle.admit('2001:db8:1:3::1'))).toBeNull();
  });
});
