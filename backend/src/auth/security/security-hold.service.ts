import { Injectable } from '@nestjs/common';
import { AppError, forbidden, unauthenticated } from '../../common/errors/app-error';
import { formatDateTime } from '../../common/money/prose-format';
import { AppConfig } from '../../config/config.service';
import type { Tx } from '../../database/unit-of-work';
import type { UserEntity } from '../entities/user.entity';
import { UsersRepository } from '../users/users.repository';
import type { SecurityHoldDto } from './dto/security.dto';
import { holdReasonText, SecurityHoldReason } from './security-event-kinds';

/** 403 ACCOUNT_FROZEN: what a frozen account is refused, and how the owner gets it back. */
export function accountFrozen(what = 'withdrawals and security changes are'): AppError {
  return forbidden(
    'ACCOUNT_FROZEN',
    `This account is frozen because its owner reported activity that wasn't theirs. To unfreeze it, reset your password by email ("Forgot password"); until then ${what} refused.`,
  );
}

/** The running hold of an account, if any (as /api/auth/me shows it). */
export function currentHold(user: Pick<UserEntity, 'securityHoldUntil' | 'securityHoldReason'>, now = Date.now()): SecurityHoldDto | null {
  if (!user.securityHoldUntil) return null;
  const until = new Date(user.securityHoldUntil);
  if (until.getTime() <= now) return null;
  return {
    until: until.toISOString(),
    reason: (user.securityHoldReason ?? SecurityHoldReason.PasswordReset) as SecurityHoldReason,
    message: `Withdrawals are on hold until ${formatDateTime(until, { roundUp: true })} because ${holdReasonText(user.securityHoldReason)}. This protects you if someone else made the change.`,
  };
}

/**
 * The security hold and the freeze as other features see them:
 * - `place(tx, userId, reason)` after a change a thief would make before
 *   emptying the account (password reset, a 2FA change other than the first
 *   enrolment, an unfreeze; email and passkey changes call it too): withdrawals
 *   are refused for SECURITY_HOLD_HOURS (default 24; decimals allowed).
 * - `assertMayWithdraw(userId)`: 403 ACCOUNT_FROZEN or 403 SECURITY_HOLD (until when and why).
 * - `assertMayChangeSecurity(user)`: 403 ACCOUNT_FROZEN for a frozen account.
 */
@Injectable()
export class SecurityHoldService {
  constructor(
    private readonly users: UsersRepository,
    private readonly config: AppConfig,
  ) {}

  /** Holds withdrawals from now for the configured time (a longer running hold keeps its end); returns the end. */
  place(tx: Tx, userId: string, reason: SecurityHoldReason): Promise<Date> {
    return this.users.placeSecurityHold(tx, userId, this.config.values.securityHoldMs / 1000, reason);
  }

  async assertMayWithdraw(userId: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    if (user.frozenAt) throw accountFrozen();
    const hold = currentHold(user);
    if (hold) throw forbidden('SECURITY_HOLD', hold.message);
  }

  assertMayChangeSecurity(user: Pick<UserEntity, 'frozenAt'>): void {
    if (user.frozenAt) throw accountFrozen();
  }
}
