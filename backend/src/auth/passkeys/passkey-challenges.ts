import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/config.service';
import { KV_STORE, type KeyValueStore } from '../../redis/redis.interfaces';

/**
 * What a challenge was issued for: registering a passkey (bound to the
 * account and the session that asked), signing in (no account yet: a
 * passwordless sign-in, or the second factor of a password sign-in), or
 * confirming an action of a signed-in session (a withdrawal, a step-up).
 */
export type ChallengePurpose = 'registration' | 'sign-in' | 'confirmation';

export interface IssuedChallenge {
  purpose: ChallengePurpose;
  userId?: string;
  sessionId?: string;
}

/**
 * WebAuthn challenges, single use with a short TTL (PASSKEY_CHALLENGE_TTL_MS),
 * in the shared key-value store (Redis; in-process on the embedded default),
 * so any instance can verify what another issued.
 */
@Injectable()
export class PasskeyChallenges {
  constructor(
    @Inject(KV_STORE) private readonly kv: KeyValueStore,
    private readonly config: AppConfig,
  ) {}

  get ttlMs(): number {
    return this.config.values.passkeyChallengeTtlMs;
  }

  async issue(challenge: string, issued: IssuedChallenge): Promise<void> {
    await this.kv.set(`webauthn:challenge:${challenge}`, JSON.stringify(issued), this.ttlMs);
  }

  /**
   * Takes the challenge: what it was issued for, once; null when it is unknown, expired or already taken. Of two
   * concurrent takers only one gets it (the "used" marker is SET NX), so a response can never be verified twice.
   */
  async take(challenge: string): Promise<IssuedChallenge | null> {
    const key = `webauthn:challenge:${challenge}`;
    const stored = await this.kv.get(key);
    if (!stored) return null;
    if (!(await this.kv.setIfAbsent(`webauthn:used:${challenge}`, '1', this.ttlMs))) return null;
    await this.kv.del(key);
    return JSON.parse(stored) as IssuedChallenge;
  }
}
