import { Injectable } from '@nestjs/common';
import QRCode from 'qrcode';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth/auth-user';
import { AppError, conflict, forbidden, unauthenticated } from '../common/errors/app-error';
import { type Tx, UnitOfWork } from '../database/unit-of-work';
import { BACKUP_CODE_COUNT } from './auth.constants';
import { BackupCodesRepository } from './backup-codes.repository';
import { ConfirmationAction, ConfirmationsService } from './confirmations.service';
import { BackupCodesResponseDto, MessageResponseDto, TwoFactorSetupResponseDto, TwoFactorStatusDto } from './dto/auth-responses.dto';
import { UserEntity } from './entities/user.entity';
import { backupCode, normalizeBackupCode, sha256Hex } from './secrets';
import { isFreshStep, matchTotpStep, newTotpSecret, totpUri } from './totp';
import { UsersRepository } from './users/users.repository';
import type { PasskeyAssertionDto } from './passkeys/dto/passkey.dto';
import { PasskeysService } from './passkeys/passkeys.service';

/** A second factor as sent: a TOTP or backup code, or a passkey's assertion. */
export interface SecondFactorProof {
  code?: string;
  passkey?: PasskeyAssertionDto;
}

/** What the checks below take: a code as a plain string (as every caller passed it before passkeys), or a proof. */
export type SecondFactor = string | SecondFactorProof | undefined;

const asProof = (factor: SecondFactor): SecondFactorProof => (typeof factor === 'string' ? { code: factor } : (factor ?? {}));
import { SecurityEventKind, SecurityHoldReason } from './security/security-event-kinds';
import { SecurityEventsRepository } from './security/security-events.repository';
import { SecurityHoldService } from './security/security-hold.service';
import { SecurityNoticesService } from './security/security-notices.service';

/** Events that show 2FA was on before: enabling it again is a change (held), not the first enrolment. */
const EARLIER_TWO_FACTOR = [SecurityEventKind.TwoFactorEnabled, SecurityEventKind.TwoFactorDisabled];

const invalidCode = (): AppError => unauthenticated('TWO_FACTOR_INVALID', 'The two-factor code is not valid');

/** TOTP two-factor authentication and its single-use backup codes. */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly backupCodes: BackupCodesRepository,
    private readonly audit: AuditService,
    private readonly confirmations: ConfirmationsService,
    private readonly passkeys: PasskeysService,
    private readonly notices: SecurityNoticesService,
    private readonly holds: SecurityHoldService,
    private readonly events: SecurityEventsRepository,
  ) {}

  /** Starts enrolment: a new secret (shown this once), its otpauth URL and QR code. Refused while 2FA is on. */
  async setup(userId: string): Promise<TwoFactorSetupResponseDto> {
    const user = await this.user(userId);
    this.holds.assertMayChangeSecurity(user);
    if (user.twoFactorEnabledAt) throw conflict('INVALID_STATE', 'Two-factor authentication is already on; disable it first');
    const secret = newTotpSecret();
    await this.users.startTwoFactorEnrolment(userId, secret);
    const otpauthUrl = totpUri(secret, user.email);
    return { secret, otpauthUrl, qrCodeDataUrl: await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 }) };
  }

  /** Confirms enrolment with a first code; returns the 10 backup codes (shown once). */
  async enable(userId: string, code: string): Promise<BackupCodesResponseDto> {
    const user = await this.user(userId);
    this.holds.assertMayChangeSecurity(user);
    if (user.twoFactorEnabledAt) throw conflict('INVALID_STATE', 'Two-factor authentication is already on');
    if (!user.twoFactorSecret) throw conflict('INVALID_STATE', 'Start with POST /api/auth/2fa/setup');
    const step = matchTotpStep(user.twoFactorSecret, code);
    if (step === null) throw invalidCode();
    const secret = user.twoFactorSecret;
    const { codes, event } = await this.uow.run(async (tx) => {
      if (!(await this.users.enableTwoFactor(tx, userId, secret, step))) throw conflict('INVALID_STATE', 'Two-factor enrolment changed meanwhile; start again');
      const codes = await this.replaceBackupCodes(tx, userId);
      // The first enrolment of an account is not held (it only adds protection); turning it on again is a change.
      const again = await this.events.hasAny(tx, userId, EARLIER_TWO_FACTOR);
      if (again) await this.holds.place(tx, userId, SecurityHoldReason.TwoFactorChanged);
      await this.audit.record({ action: 'auth.2fa_enabled', userId, details: { held: again } }, tx);
      return { codes, event: await this.notices.record(userId, SecurityEventKind.TwoFactorEnabled, {}, { tx }) };
    });
    await this.notices.deliver(event);
    return { backupCodes: codes };
  }

  async status(userId: string): Promise<TwoFactorStatusDto> {
    const user = await this.user(userId);
    return { enabled: user.twoFactorEnabledAt !== null, backupCodesRemaining: user.twoFactorEnabledAt ? await this.backupCodes.countUnused(userId) : 0 };
  }

  /** Turns 2FA off (the route needs a step-up, which checked the password and a code); the backup codes go with it. */
  async disable(caller: AuthUser): Promise<MessageResponseDto> {
    const userId = caller.id;
    const user = await this.user(userId);
    if (!user.twoFactorEnabledAt) throw forbidden('TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not on');
    // Admins must have it on: the role was granted on that condition.
    if (user.role === 'admin')
      throw forbidden('FORBIDDEN', 'An admin cannot turn two-factor authentication off; another admin can remove the admin role first');
    this.holds.assertMayChangeSecurity(user);
    const event = await this.uow.run(async (tx) => {
      await this.users.disableTwoFactor(tx, userId);
      await this.backupCodes.deleteAll(tx, userId);
      await this.holds.place(tx, userId, SecurityHoldReason.TwoFactorChanged);
      await this.audit.record({ action: 'auth.2fa_disabled', userId, details: { sessionId: caller.sessionId } }, tx);
      return this.notices.record(userId, SecurityEventKind.TwoFactorDisabled, {}, { tx });
    });
    await this.notices.deliver(event);
    return { message: 'Two-factor authentication is off; withdrawals are on hold for a while, to protect you' };
  }

  /** Replaces the backup codes (the old ones stop working); the route needs a step-up. */
  async regenerateBackupCodes(caller: AuthUser): Promise<BackupCodesResponseDto> {
    const userId = caller.id;
    const user = await this.user(userId);
    if (!user.twoFactorEnabledAt || !user.twoFactorSecret) throw forbidden('TWO_FACTOR_NOT_ENABLED', 'Two-factor authentication is not on');
    this.holds.assertMayChangeSecurity(user);
    const { codes, event } = await this.uow.run(async (tx) => {
      const codes = await this.replaceBackupCodes(tx, userId);
      await this.audit.record({ action: 'auth.2fa_backup_codes_regenerated', userId, details: { sessionId: caller.sessionId } }, tx);
      return { codes, event: await this.notices.record(userId, SecurityEventKind.BackupCodesRegenerated, {}, { tx }) };
    });
    await this.notices.deliver(event);
    return { backupCodes: codes };
  }

  /**
   * For sensitive actions of other modules (withdrawals, a step-up): 403
   * TWO_FACTOR_NOT_ENABLED when 2FA is off (and no passkey is offered), 401
   * TWO_FACTOR_INVALID for a wrong, replayed or used code or a passkey
   * assertion that does not verify, counted on the confirmation counter (429
   * ACCOUNT_LOCKED once the session or the account is locked out). Accepts a
   * TOTP code, a backup code, or an assertion by one of the account's
   * passkeys answering this session's `POST /api/auth/passkeys/confirmation-options`.
   */
  async requireSecondFactor(caller: AuthUser, action: ConfirmationAction, factor: SecondFactor, account?: UserEntity): Promise<void> {
    const proof = asProof(factor);
    const user = account ?? (await this.user(caller.id));
    if (!user.twoFactorEnabledAt && !proof.passkey) throw forbidden('TWO_FACTOR_NOT_ENABLED', 'Turn on two-factor authentication first');
    await this.confirmations.confirm(caller, action, async () =>
      (await this.checkSecondFactor(user, proof, caller.sessionId))
        ? null
        : unauthenticated(
            'TWO_FACTOR_INVALID',
            proof.passkey ? 'The passkey could not be verified; try again' : 'The two-factor code is not valid (each code works once)',
          ),
    );
  }

  /**
   * The one check of a second factor, at login and for sensitive actions: a
   * passkey's assertion (answering a sign-in challenge at login, `sessionId`
   * null, or this session's confirmation challenge), else a fresh TOTP code
   * (never one already accepted) or an unused backup code (then used up).
   */
  async checkSecondFactor(user: UserEntity, factor: SecondFactor, sessionId: string | null = null): Promise<boolean> {
    const proof = asProof(factor);
    if (proof.passkey) return this.passkeys.verifyOwnAssertion(user.id, proof.passkey, sessionId);
    if (!proof.code) return false;
    const trimmed = proof.code.trim();
    if (/^\d{6}$/.test(trimmed)) return this.consumeTotp(user, trimmed);
    const normalized = normalizeBackupCode(trimmed);
    if (normalized.length !== 12) return false;
    if (!(await this.backupCodes.consume(user.id, sha256Hex(normalized)))) return false;
    await this.audit.record({ action: 'auth.2fa_backup_code_used', userId: user.id });
    return true;
  }

  private async consumeTotp(user: UserEntity, code: string): Promise<boolean> {
    if (!user.twoFactorSecret) return false;
    const step = matchTotpStep(user.twoFactorSecret, code);
    if (step === null || !isFreshStep(step, user.twoFactorLastStep === null ? null : Number(user.twoFactorLastStep))) return false;
    // Conditional update: of two concurrent requests with the same code, one wins.
    return this.users.acceptTotpStep(user.id, step);
  }

  private async replaceBackupCodes(tx: Tx, userId: string): Promise<string[]> {
    const codes = Array.from({ length: BACKUP_CODE_COUNT }, backupCode);
    await this.backupCodes.replace(
      tx,
      userId,
      codes.map((c) => sha256Hex(normalizeBackupCode(c))),
    );
    return codes;
  }

  private async user(userId: string): Promise<UserEntity> {
    const user = await this.users.findById(userId);
    if (!user) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    return user;
  }
}
