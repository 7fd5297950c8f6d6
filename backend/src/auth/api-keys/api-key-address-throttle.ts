import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage } from '@nestjs/throttler';
import { budgetSubject } from '../../common/http/client-ip';
import { rateLimited } from '../../common/guards/rate-limit.guard';
import { RateLimitStorage } from '../../common/guards/rate-limit.storage';
import { AppConfig } from '../../config/config.service';

/**
 * Per client address, before an API key is looked at (before RATE_LIMIT_SCALE): every signed request counts on
 * `requests`; a request that fails to authenticate (malformed headers, an unknown key, a signature that does not
 * verify) also counts on `failures`. Past either, the address gets 429 for the rest of the window, however well its
 * next request is signed: a forger pays before we read a key or verify a signature, and a key's owner elsewhere is
 * not affected.
 */
export const API_KEY_ADDRESS_LIMITS = {
  requests: { limit: 1200, ttl: 60_000 },
  failures: { limit: 20, ttl: 60_000 },
} as const;

/**
 * The pre-authentication throttle of signed API-key requests (API.md "API keys", Rate limits), in the rate limits'
 * ThrottlerStorage (RateLimitStorage: Redis shared by every instance, counted in this process while it is down), by
 * the one client-address rule (an IPv6 address by its /64). ApiKeyAuthenticator calls `admit` first and `failed`
 * for each unauthenticated failure; the per-key and per-user limits (RateLimitGuard) count after authentication.
 */
@Injectable()
export class ApiKeyAddressThrottle {
  private readonly requestLimit: number;
  private readonly failureLimit: number;

  constructor(
    @InjectThrottlerStorage() private readonly storage: RateLimitStorage,
    config: AppConfig,
  ) {
    const scale = config.values.rateLimitScale;
    this.requestLimit = Math.max(1, Math.round(API_KEY_ADDRESS_LIMITS.requests.limit * scale));
    this.failureLimit = Math.max(1, Math.round(API_KEY_ADDRESS_LIMITS.failures.limit * scale));
  }

  /** Counts the request; 429 RATE_LIMITED (Retry-After) when the address is past its failures or its requests. */
  async admit(ip: string | undefined): Promise<void> {
    const subject = subjectOf(ip);
    const failures = await this.storage.peek(failuresKey(subject), API_KEY_ADDRESS_LIMITS.failures.ttl, this.failureLimit);
    if (failures.isBlocked) throw rateLimited(failures.timeToBlockExpire * 1000);
    const hit = this.storage.incrementBatched(`rl:apiKeyAddress:ip:${subject}`, API_KEY_ADDRESS_LIMITS.requests.ttl, this.requestLimit);
    const requests = hit instanceof Promise ? await hit : hit;
    if (requests.isBlocked) throw rateLimited(requests.timeToBlockExpire * 1000);
  }

  /** Counts a request from `ip` that did not authenticate. */
  async failed(ip: string | undefined): Promise<void> {
    await this.storage.increment(failuresKey(subjectOf(ip)), API_KEY_ADDRESS_LIMITS.failures.ttl, this.failureLimit);
  }
}

const subjectOf = (ip: string | undefined): string => (ip ? budgetSubject(ip) : 'unknown');
const failuresKey = (subject: string): string => `rl:apiKeyFailures:ip:${subject}`;
