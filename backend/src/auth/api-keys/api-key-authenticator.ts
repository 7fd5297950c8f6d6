import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { AppError, forbidden, unauthenticated } from '../../common/errors/app-error';
import { requestContext } from '../../common/request-context';
import { AppConfig } from '../../config/config.service';
import { KV_STORE, type KeyValueStore } from '../../redis/redis.interfaces';
import { parseApiKeyHeaders, verifyRequestSignature } from './api-key-signature';
import { ApiKeyAddressThrottle } from './api-key-address-throttle';
import { ApiKeysRepository, type ApiKeyAuthRow } from './api-keys.repository';
import { ipAllowed } from './ip-allowlist';

/** The raw bytes of a request's JSON body, kept by the body parser (common/middleware/json-body.ts) for signatures. */
export type RequestWithRawBody = Request & { rawBody?: Buffer };

/** How often at most a key's `last_used_at` is written, and how often at most the same refusal of a key is audited. */
const QUIET_MS = 60_000;
const LAST_USED_MEMORY = 10_000;

/**
 * How long a nonce is remembered beyond the acceptance window on both sides (twice API_KEY_WINDOW_SECONDS): the
 * clocks of our instances and of Redis may differ by a few seconds, and an instance whose clock is behind still
 * accepts a timestamp that much later. 30 s more covers a badly drifted clock, not only NTP's milliseconds.
 */
export const NONCE_CLOCK_MARGIN_MS = 30_000;

/** How long a nonce is remembered: the whole window on both sides, plus the margin. */
export function nonceTtlMs(windowSeconds: number): number {
  return 2 * windowSeconds * 1000 + NONCE_CLOCK_MARGIN_MS;
}

const invalidKey = (): AppError =>
  unauthenticated('API_KEY_INVALID', 'The API key signature does not verify: sign the request as API.md "API keys" describes, with this key');

/**
 * Authenticates a request signed with an API key (API.md "API keys"), in this order: the client address within its
 * pre-authentication budget (ApiKeyAddressThrottle: 429); the four headers well-formed; the key (read by primary key
 * on every request, with its owner: a revocation holds on every instance at once, with no cache to invalidate); the
 * Ed25519 signature over the canonical string with the raw body. Nothing else is looked at, answered or audited before
 * the signature verifies: a malformed request, an unknown key or a bad signature is 401 API_KEY_INVALID and counts on
 * the address's failures (an unknown key is logged at debug only, never audited: a forger cannot fill the audit log).
 * Then the timestamp within API_KEY_WINDOW_SECONDS of our clock; the key live (not revoked, expired, or older than the
 * owner's last password reset, freeze, suspension or closure); the client address on its allowlist; the
 * nonce unseen (SET NX in the shared key-value store, kept for the whole window on both sides plus a clock margin:
 * `nonceTtlMs`), so a replay within the window anywhere is refused, and when the store cannot answer the request is
 * refused with 503 (never accepted unchecked). Every refusal is 401 (403 ACCOUNT_SUSPENDED / ACCOUNT_FROZEN for the
 * owner's state); refusals of a known key are audited (`auth.api_key_denied`, at most once a minute per key and
 * reason, a bad signature included). The scope is checked per route by JwtAuthGuard.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger('ApiKeys');
  /** key id → when this instance last wrote its last_used_at. */
  private readonly lastWritten = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly throttle: ApiKeyAddressThrottle,
    @Inject(KV_STORE) private readonly kv: KeyValueStore,
  ) {}

  async authenticate(req: RequestWithRawBody): Promise<AuthUser> {
    const ip = requestContext.getStore()?.ip ?? req.ip;
    await this.throttle.admit(ip);
    const headers = parseApiKeyHeaders(req.headers);
    if ('invalid' in headers) {
      await this.throttle.failed(ip);
      throw unauthenticated('API_KEY_INVALID', `Missing or malformed ${headers.invalid} header: sign the request as API.md "API keys" describes`);
    }
    const key = await this.keys.findForAuth(headers.keyId);
    if (!key) {
      await this.throttle.failed(ip);
      this.logger.debug({ keyId: headers.keyId, ip }, 'API key request refused: no such key');
      throw invalidKey();
    }
    const signed = verifyRequestSignature(
      key.public_key,
      { timestamp: headers.timestamp, nonce: headers.nonce, method: req.method, pathWithQuery: req.originalUrl, body: req.rawBody },
      headers.signature,
    );
    if (!signed) {
      await this.throttle.failed(ip);
      await this.denied(key, 'bad_signature');
      throw invalidKey();
    }
    // Signed by the key's owner from here on: what follows may be answered precisely and audited.
    const windowSeconds = this.config.values.apiKeyWindowSeconds;
    const skewMs = headers.timestampMs - Date.now();
    if (Math.abs(skewMs) > windowSeconds * 1000) {
      await this.denied(key, 'stale_timestamp', { skewMs });
      throw unauthenticated(
        'REQUEST_EXPIRED',
        `The request's CV-API-TIMESTAMP is more than ${windowSeconds} seconds away from the server's clock: send the current time in milliseconds since 1970 (check the clock of the machine that signs)`,
      );
    }
    if (key.revoked_at || key.superseded) {
      await this.denied(key, 'revoked');
      throw unauthenticated('API_KEY_REVOKED', 'This API key was revoked: create a new one under Settings → API keys');
    }
    if (key.expired) {
      await this.denied(key, 'expired');
      throw unauthenticated('API_KEY_EXPIRED', 'This API key has expired: create a new one under Settings → API keys');
    }
    if (key.suspended_at) throw forbidden('ACCOUNT_SUSPENDED', 'This account is suspended');
    if (key.frozen_at) throw forbidden('ACCOUNT_FROZEN', 'This account is frozen: reset your password by email to unfreeze it');
    if (!ipAllowed(key.ip_allowlist, ip)) {
      await this.denied(key, 'ip_not_allowed', { ip });
      throw unauthenticated('IP_NOT_ALLOWED', "This API key does not accept requests from your address: add it to the key's IP allowlist");
    }
    if (!(await this.rememberNonce(key.id, headers.nonce, windowSeconds))) {
      await this.denied(key, 'nonce_reused');
      throw unauthenticated('NONCE_REUSED', 'This CV-API-NONCE was used before: send a new nonce with every request');
    }
    this.recordUse(key.id, ip);
    return {
      id: key.user_id,
      email: key.email,
      role: key.role,
      twoFactor: key.two_factor_on,
      jti: `api-key:${key.id}`,
      sessionId: `api-key:${key.id}`,
      exp: key.expires_at ? Math.floor(key.expires_at.getTime() / 1000) : Number.MAX_SAFE_INTEGER,
      apiKey: { id: key.id, scopes: key.scopes },
    };
  }

  /**
   * SET NX of the nonce: true when it is new. The replay check fails closed: when the store does not answer, the
   * request is refused with 503 SERVICE_UNAVAILABLE (Retry-After), logged, never accepted without the check.
   */
  private async rememberNonce(keyId: string, nonce: string, windowSeconds: number): Promise<boolean> {
    try {
      return await this.kv.setIfAbsent(`apikey:nonce:${keyId}:${nonce}`, '1', nonceTtlMs(windowSeconds));
    } catch (e) {
      this.logger.warn({ keyId, err: (e as Error).message }, 'API key nonce check failed: the key-value store did not answer; refused with 503');
      throw new AppError(503, 'SERVICE_UNAVAILABLE', 'Signed requests cannot be checked for replays right now; please retry shortly', undefined, {
        'Retry-After': '5',
      });
    }
  }

  /** Audits a refusal of a known key (`auth.api_key_denied`), at most once a minute per key and reason across instances. */
  async denied(key: Pick<ApiKeyAuthRow, 'id' | 'user_id'>, reason: string, details: Record<string, unknown> = {}): Promise<void> {
    try {
      if (!(await this.kv.setIfAbsent(`apikey:denied:${key.id}:${reason}`, '1', QUIET_MS))) return;
      await this.audit.record({ action: 'auth.api_key_denied', userId: key.user_id, details: { keyId: key.id, reason, ...details } });
    } catch (e) {
      this.logger.warn(`could not audit a refused API key request: ${(e as Error).message}`);
    }
  }

  /** last_used_at, at most once a minute per key (the SQL checks it too, for every instance), off the request's path. */
  private recordUse(id: string, ip: string | undefined): void {
    const now = Date.now();
    if (now - (this.lastWritten.get(id) ?? 0) < QUIET_MS) return;
    if (this.lastWritten.size >= LAST_USED_MEMORY) this.lastWritten.clear();
    this.lastWritten.set(id, now);
    this.keys.recordUse(id, ip).catch((e: Error) => this.logger.warn(`could not record the use of an API key: ${e.message}`));
  }
}
