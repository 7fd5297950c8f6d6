import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { AppError, unauthenticated, validationFailed } from '../../common/errors/app-error';
import { AppConfig } from '../../config/config.service';
import { UnitOfWork } from '../../database/unit-of-work';
import { ConfirmationsService } from '../confirmations.service';
import { StepUpDto } from '../dto/auth-requests.dto';
import { StepUpResponseDto } from '../dto/auth-responses.dto';
import { PasskeysService } from '../passkeys/passkeys.service';
import { PasswordService } from '../password.service';
import { SessionsRepository } from '../sessions.repository';
import { TwoFactorService } from '../two-factor.service';
import { UsersRepository } from '../users/users.repository';

/** How a session stepped up (audited): the password alone (2FA off), with a TOTP or backup code, or a passkey. */
export type StepUpMethod = 'password' | 'password+second_factor' | 'passkey';

export function stepUpRequired(): AppError {
  return unauthenticated(
    'STEP_UP_REQUIRED',
    'Confirm it is you first: this change needs your password (and your two-factor code when 2FA is on) from this session within the last few minutes (POST /api/auth/step-up), then try again',
  );
}

/**
 * Step-up authentication: a session confirms its owner is at the keyboard
 * (the password, plus the current second factor when 2FA is on) and may then
 * use the `@RequiresStepUp()` routes for STEP_UP_TTL_SECONDS. The mark is the
 * session row's `stepped_up_until` in PostgreSQL, so every instance honours it,
 * a refreshed access token of the same session keeps it, and no other session
 * (nor a new sign-in) has it. Wrong passwords and codes count on the one
 * confirmation counter (ConfirmationsService, action `auth.step_up`).
 */
@Injectable()
export class StepUpService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly passwords: PasswordService,
    private readonly twoFactor: TwoFactorService,
    private readonly passkeys: PasskeysService,
    private readonly confirmations: ConfirmationsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Checks the password (and the code, when 2FA is on), or a passkey assertion (401 PASSKEY_INVALID when it does not
   * verify), on the confirmation counter and steps the caller's session up. 401 INVALID_CREDENTIALS / TWO_FACTOR_INVALID for a wrong one, 401 TWO_FACTOR_REQUIRED (not counted, nothing
   * checked) when 2FA is on and no code came, 429 ACCOUNT_LOCKED once the session or the account is locked out.
   */
  async stepUp(caller: AuthUser, dto: StepUpDto): Promise<StepUpResponseDto> {
    const user = await this.users.findById(caller.id);
    if (!user) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    const passkey = dto.passkey;
    if (passkey) {
      // A passkey stands for password and second factor: one of the account's, answering this session's
      // confirmation challenge, having verified its user (PIN, biometrics); a failure counts on the same counter.
      await this.confirmations.confirm(caller, 'auth.step_up', async () =>
        (await this.passkeys.verifyOwnAssertion(user.id, passkey, caller.sessionId, true))
          ? null
          : unauthenticated('PASSKEY_INVALID', 'The passkey could not be verified; try again'),
      );
      return this.grant(caller, 'passkey');
    }
    if (dto.password === undefined) throw validationFailed([{ field: 'password', message: 'Enter your password, or confirm with a passkey' }]);
    const twoFactorOn = user.twoFactorEnabledAt !== null;
    const code = dto.code?.trim();
    if (twoFactorOn && !code) {
      throw unauthenticated('TWO_FACTOR_REQUIRED', 'Two-factor authentication is on: enter the code from your authenticator app (or a backup code) too');
    }
    await this.confirmations.confirm(caller, 'auth.step_up', async () => {
      if (!(await this.passwords.verify(dto.password as string, user.passwordHash))) return unauthenticated('INVALID_CREDENTIALS', 'The password is wrong');
      if (twoFactorOn && !(await this.twoFactor.checkSecondFactor(user, code as string))) {
        return unauthenticated('TWO_FACTOR_INVALID', 'The two-factor code is not valid (each code works once)');
      }
      return null;
    });
    return this.grant(caller, twoFactorOn ? 'password+second_factor' : 'password');
  }

  /**
   * Marks the caller's session stepped up for STEP_UP_TTL_SECONDS, audited. Only for a caller who has just proven
   * it (`stepUp` above; a passkey assertion). 401 TOKEN_REVOKED when the session ended meanwhile.
   */
  async grant(caller: Pick<AuthUser, 'id' | 'sessionId'>, method: StepUpMethod): Promise<StepUpResponseDto> {
    const until = await this.uow.run(async (tx) => {
      const at = await this.sessions.stepUp(tx, caller.id, caller.sessionId, this.config.values.stepUpTtlSeconds);
      if (!at) throw unauthenticated('TOKEN_REVOKED', 'This session has ended; sign in again');
      await this.audit.record({ action: 'auth.step_up', userId: caller.id, details: { sessionId: caller.sessionId, method, until: at.toISOString() } }, tx);
      return at;
    });
    return { stepUpUntil: until.toISOString() };
  }

  /** Until when the caller's own session is stepped up, or undefined (never, expired, ended). */
  steppedUpUntil(caller: Pick<AuthUser, 'id' | 'sessionId'>): Promise<Date | undefined> {
    return this.sessions.steppedUpUntil(caller.id, caller.sessionId);
  }
}
