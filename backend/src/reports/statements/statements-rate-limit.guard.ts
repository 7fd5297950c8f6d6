import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../../common/auth/auth-user';
import { rateLimited } from '../../common/guards/rate-limit.guard';
import { RateLimitStorage } from '../../common/guards/rate-limit.storage';
import { AppConfig } from '../../config/config.service';

/** Statement files a user may download per window (before RATE_LIMIT_SCALE): a PDF costs CPU to write. */
export const STATEMENT_DOWNLOADS = { limit: 10, ttl: 60_000 } as const;

/**
 * Statement downloads (PDF and CSV alike) counted per user, besides the general limit every route counts in: 10 a
 * minute (RATE_LIMIT_SCALE multiplies it), in the rate limits' shared store (Redis, so across instances), over it 429
 * RATE_LIMITED with Retry-After. Runs after the authentication guard (routes are `@Authenticated`).
 */
@Injectable()
export class StatementsRateLimitGuard implements CanActivate {
  private readonly limit: number;

  constructor(
    @InjectThrottlerStorage() private readonly storage: RateLimitStorage,
    config: AppConfig,
  ) {
    this.limit = Math.max(1, Math.round(STATEMENT_DOWNLOADS.limit * config.values.rateLimitScale));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) return true;
    const hit = await this.storage.increment(`rl:statements:u:${user.id}`, STATEMENT_DOWNLOADS.ttl, this.limit);
    if (hit.isBlocked) throw rateLimited(hit.timeToBlockExpire * 1000);
    return true;
  }
}
