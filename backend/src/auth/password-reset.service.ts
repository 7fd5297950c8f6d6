import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { badRequest } from '../common/errors/app-error';
import { AppConfig } from '../config/config.service';
import { UnitOfWork } from '../database/unit-of-work';
import { MailService } from '../notifications/mail.service';
import { PASSWORD_RESET_TTL_MS } from './auth.constants';
import { ConfirmationsService } from './confirmations.service';
import { MessageResponseDto, ResetTokenValidityDto } from './dto/auth-responses.dto';
import { EmailChangesRepository } from './email-changes.repository';
import { UserEntity } from './entities/user.entity';
import { escapeHtml } from './email-verification.service';
import { OneTimeTokensRepository } from './one-time-tokens.repository';
import { PasswordService } from './password.service';
import { randomToken, sha256Hex } from './secrets';
import { SessionsService } from './sessions.service';
import { UserAuthCache } from './user-auth-cache';
import { UsersRepository } from './users/users.repository';
import { AccountFreezeService } from './security/account-freeze.service';
import { SecurityEventKind } from './security/security-event-kinds';
import { SecurityNoticesService } from './security/security-notices.service';
import { FailureLimiter } from '../common/guards/failure-limiter';

/** Forgot / reset password: a single-use link valid 1 hour; a reset ends every session and lifts confirmation lockouts. */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger(PasswordResetService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly tokens: OneTimeTokensRepository,
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly authCache: UserAuthCache,
    private readonly confirmations: ConfirmationsService,
    private readonly emailChanges: EmailChangesRepository,
    private readonly freezes: AccountFreezeService,
    private readonly notices: SecurityNoticesService,
    private readonly failures: FailureLimiter,
  ) {}

  /** Same answer whether or not the account exists. */
  async requestReset(email: string): Promise<MessageResponseDto> {
    const user = await this.users.findByEmail(email);
    if (user && !user.suspendedAt) {
      // Not awaited: the answer must take as long for unknown addresses as for known ones.
      this.sendReset(user).catch((e: unknown) => this.logger.error({ err: e, userId: user.id }, 'reset mail failed'));
    }
    return { message: 'If an account exists for this address, a reset link is on its way' };
  }

  /** Whether a reset link still works; a link that does not counts with the address's failed credentials. */
  async validate(token: string): Promise<ResetTokenValidityDto> {
    const valid = await this.tokens.isLive(sha256Hex(token), 'password_reset');
    if (!valid) await this.failures.countForClient('credentials');
    return { valid };
  }

  async reset(token: string, newPassword: string): Promise<MessageResponseDto> {
    const hash = await this.passwords.hash(newPassword);
    const done = await this.uow.run(async (tx) => {
      const id = await this.tokens.consume(sha256Hex(token), 'password_reset', tx);
      if (!id) return null;
      // tokens_valid_after is truncated to the second like a JWT's iat; same-second tokens die with their sessions below.
      await this.users.resetPassword(tx, id, hash);
      await this.tokens.retire(tx, id, ['password_reset']);
      await this.confirmations.clearForAccount(tx, id);
      // A thief's pending change of the sign-in address dies with the thief's sessions.
      await this.emailChanges.retire(tx, id);
      // A reset by email unfreezes a frozen account; either way withdrawals are held for a while.
      const unfrozen = await this.freezes.unfreezeOnReset(tx, id);
      await this.audit.record({ action: 'auth.password_reset', userId: id, details: { unfrozen } }, tx);
      if (unfrozen) await this.notices.record(id, SecurityEventKind.AccountUnfrozen, {}, { tx });
      return { userId: id, event: await this.notices.record(id, SecurityEventKind.PasswordReset, { unfrozen }, { tx }) };
    });
    if (!done) {
      // Counted with the client address's failed credentials (FAILURE_LIMITS.credentials), once the transaction is over.
      await this.failures.countForClient('credentials');
      throw badRequest('VALIDATION_FAILED', 'The reset link is invalid, used or expired', [
        { field: 'token', message: 'invalid, used or expired; request a new link' },
      ]);
    }
    const { userId, event } = done;
    this.authCache.forget(userId);
    await this.sessions.endAllForUser(userId, 'password_reset');
    await this.notices.deliver(event);
    return { message: 'Your password has been reset; sign in with the new one. Withdrawals are on hold for a while, to protect you.' };
  }

  private async sendReset(user: UserEntity): Promise<void> {
    const token = randomToken();
    await this.uow.run(async (tx) => {
      await this.tokens.retire(tx, user.id, ['password_reset']);
      await this.tokens.insert(tx, {
        userId: user.id,
        purpose: 'password_reset',
        tokenHash: sha256Hex(token),
        expiresAt: new Date(Date.now() + PASSWORD_RESET_TTL_MS),
      });
      await this.audit.record({ action: 'auth.password_reset_requested', userId: user.id }, tx);
    });
    const link = `${this.config.values.appUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await this.mail.send({
      to: user.email,
      subject: 'Reset your CryptoVault password',
      text: `Hello ${user.name},\n\nOpen this link to choose a new password (valid for 1 hour, once):\n${link}\n\nReset token: ${token}\n\nIf you did not ask for this, ignore this message; your password stays as it is.`,
      html: `<p>Hello ${escapeHtml(user.name)},</p><p><a href="${escapeHtml(link)}">Choose a new password</a> (valid for 1 hour, once).</p><p>If you did not ask for this, ignore this message; your password stays as it is.</p>`,
    });
  }
}
