import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import { badRequest } from '../../common/errors/app-error';
import { formatDuration } from '../../common/money/prose-format';
import { AppConfig } from '../../config/config.service';
import { type Tx, UnitOfWork } from '../../database/unit-of-work';
import { MailService } from '../../notifications/mail.service';
import { BackupCodesRepository } from '../backup-codes.repository';
import { escapeHtml } from '../email-verification.service';
import { sha256Hex } from '../secrets';
import { SessionsService } from '../sessions.service';
import { UsersRepository } from '../users/users.repository';
import { FreezePreviewDto, FreezeResponseDto } from './dto/security.dto';
import { SecurityEventKind, SecurityHoldReason } from './security-event-kinds';
import { SecurityEventsRepository } from './security-events.repository';
import { SecurityHoldService } from './security-hold.service';
import { SecurityNoticesService, toSecurityEventDto } from './security-notices.service';
import { FailureLimiter } from '../../common/guards/failure-limiter';

/**
 * Something a feature lets an account add that an attacker could use to keep
 * or regain control (a passkey, a withdrawal address, an API key): a freeze
 * removes what was added at or after the reported event. Register one with
 * `AccountFreezeService.registerRemover` (e.g. in the feature's onModuleInit);
 * it runs in the freeze's transaction.
 */
export interface AddedSinceRemover {
  /** What the freeze response and the audit record call it ("passkeys", "withdrawal_addresses"). */
  name: string;
  /** Removes (or disables) the user's items added at or after `since`; how many. */
  removeAddedSince(tx: Tx, userId: string, since: Date): Promise<number>;
}

const invalidLink = () =>
  badRequest('FREEZE_LINK_INVALID', 'This "This wasn\'t me" link is invalid, already used or expired. If you still need help, reset your password by email.', [
    { field: 'token', message: 'invalid, used or expired' },
  ]);

/**
 * "This wasn't me": the link in every security notice freezes the account.
 * Only `POST /api/auth/freeze` acts (a GET of the link, as mail scanners make,
 * only opens the client page, which may preview it). A freeze, in one
 * transaction: the link is used up; the account is frozen (sign-in refused
 * with ACCOUNT_FROZEN, withdrawals and security changes too); every access
 * token and session ends; everything added since the reported event is
 * removed (`removeAddedSince`: 2FA turned on after it, with its backup codes,
 * and whatever other features registered); it is audited. A password reset by
 * email unfreezes (`unfreezeOnReset`), with a security hold on withdrawals.
 */
@Injectable()
export class AccountFreezeService {
  private readonly logger = new Logger('AccountFreeze');
  private readonly removers: AddedSinceRemover[] = [];

  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: SecurityEventsRepository,
    private readonly users: UsersRepository,
    private readonly backupCodes: BackupCodesRepository,
    private readonly sessions: SessionsService,
    private readonly notices: SecurityNoticesService,
    private readonly holds: SecurityHoldService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly failures: FailureLimiter,
  ) {}

  /** Adds a feature's "remove what was added since T" step to every freeze. */
  registerRemover(remover: AddedSinceRemover): void {
    if (this.removers.some((r) => r.name === remover.name)) throw new Error(`a freeze remover named ${remover.name} is already registered`);
    this.removers.push(remover);
  }

  /** What a link is about, without using it (the freeze page shows it before the owner confirms). */
  async preview(token: string): Promise<FreezePreviewDto> {
    const event = await this.events.findByLiveFreezeToken(sha256Hex(token));
    if (!event) await this.failures.countForClient('credentials');
    return event ? { valid: true, event: toSecurityEventDto(event) } : { valid: false };
  }

  async freeze(token: string): Promise<FreezeResponseDto> {
    const done = await this.uow.run(async (tx) => {
      const reported = await this.events.consumeFreezeToken(tx, sha256Hex(token));
      if (!reported) return null;
      const userId = reported.user_id;
      await this.users.freeze(tx, userId);
      const removed = await this.removeAddedSince(tx, userId, new Date(reported.created_at));
      const sessionsEnded = await this.sessions.endAllForUserIn(tx, userId, 'frozen');
      const details = { reportedEventId: reported.id, reportedKind: reported.kind, removed, sessionsEnded };
      await this.audit.record({ action: 'auth.account_frozen', userId, details }, tx);
      const event = await this.notices.record(userId, SecurityEventKind.AccountFrozen, details, { tx });
      return { userId, removed, event };
    });
    if (!done) {
      // Counted with the client address's failed credentials (FAILURE_LIMITS.credentials), once the transaction is over.
      await this.failures.countForClient('credentials');
      throw invalidLink();
    }
    this.sessions.forgetUser(done.userId);
    await this.notices.deliver(done.event);
    void this.tellOwner(done.userId);
    return {
      message: 'Your account is frozen: every session is signed out and withdrawals are stopped. Reset your password by email to unfreeze it.',
      removed: Object.keys(done.removed),
    };
  }

  /**
   * The one place a freeze removes what was added since the reported event:
   * 2FA turned on at or after `since` (with its backup codes), then every
   * registered feature's items. Returns how many of each it removed (only those it did).
   */
  async removeAddedSince(tx: Tx, userId: string, since: Date): Promise<Record<string, number>> {
    const removed: Record<string, number> = {};
    if (await this.users.disableTwoFactorEnabledSince(tx, userId, since)) {
      await this.backupCodes.deleteAll(tx, userId);
      removed.two_factor = 1;
    }
    for (const remover of this.removers) {
      const n = await remover.removeAddedSince(tx, userId, since);
      if (n > 0) removed[remover.name] = n;
    }
    return removed;
  }

  /**
   * In a password reset's transaction: lifts a freeze (and retires the account's other live freeze links, the
   * owner having proven the mailbox), and places the security hold either way. True when the account was frozen.
   */
  async unfreezeOnReset(tx: Tx, userId: string): Promise<boolean> {
    const wasFrozen = await this.users.unfreeze(tx, userId);
    if (wasFrozen) {
      await this.events.retireFreezeLinks(tx, userId);
      await this.audit.record({ action: 'auth.account_unfrozen', userId }, tx);
    }
    await this.holds.place(tx, userId, wasFrozen ? SecurityHoldReason.AccountUnfrozen : SecurityHoldReason.PasswordReset);
    return wasFrozen;
  }

  private async tellOwner(userId: string): Promise<void> {
    try {
      const user = await this.users.findById(userId);
      if (!user) return;
      const link = `${this.config.values.appUrl}/forgot-password`;
      const hold = formatDuration(this.config.values.securityHoldMs);
      await this.mail.send({
        to: user.email,
        subject: 'Your CryptoVault account is frozen',
        text:
          `Hello ${user.name},\n\nYour account is frozen, as you asked: every session was signed out, withdrawals and security changes are refused, ` +
          `and any second factor added since the event you reported was removed.\n\nTo get your account back, reset your password by email:\n${link}\n\n` +
          `Withdrawals stay on hold for ${hold} after the reset, to protect you.`,
        html:
          `<p>Hello ${escapeHtml(user.name)},</p><p>Your account is frozen, as you asked: every session was signed out, withdrawals and security changes are refused, ` +
          `and any second factor added since the event you reported was removed.</p><p>To get your account back, <a href="${escapeHtml(link)}">reset your password by email</a>. ` +
          `Withdrawals stay on hold for ${hold} after the reset, to protect you.</p>`,
      });
    } catch (e) {
      this.logger.error({ userId, err: (e as Error).message }, 'freeze confirmation email failed');
    }
  }
}
