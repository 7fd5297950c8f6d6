import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth/auth-user';
import { badRequest, conflict, forbidden, unauthenticated } from '../common/errors/app-error';
import { AppConfig } from '../config/config.service';
import { pgErrorCode } from '../database/transaction';
import { UnitOfWork } from '../database/unit-of-work';
import { MailService } from '../notifications/mail.service';
import { EMAIL_CHANGE_TTL_MS } from './auth.constants';
import { MessageResponseDto } from './dto/auth-responses.dto';
import { EmailChangesRepository } from './email-changes.repository';
import { escapeHtml } from './email-verification.service';
import { randomToken, sha256Hex } from './secrets';
import { AccountFreezeService } from './security/account-freeze.service';
import { SecurityEventKind, SecurityHoldReason } from './security/security-event-kinds';
import { SecurityHoldService } from './security/security-hold.service';
import { type RecordedSecurityEvent, SecurityNoticesService } from './security/security-notices.service';
import { SessionsService } from './sessions.service';
import { UserAuthCache } from './user-auth-cache';
import { UsersRepository } from './users/users.repository';
import { FailureLimiter } from '../common/guards/failure-limiter';

/** The one answer to a change request, whether or not the new address already has an account. */
const REQUESTED = (email: string): string =>
  `If ${email} can be used, a confirmation link is on its way to it: the change happens when you open it (within 1 hour). Your current address has been told.`;

/**
 * Changing the sign-in address: the request (a stepped-up session) mails a
 * single-use link to the new address and a notice to the current one; the
 * change happens only when the link's page POSTs its token (mail scanners
 * open links, and must not confirm anything). A new address that already has
 * an account gets the same answer, and its owner a mail instead of a link, so
 * the request never tells whether an address is registered. Completing the
 * change signs out every session but the one that asked; a password reset by
 * email cancels a pending change.
 */
@Injectable()
export class EmailChangeService implements OnModuleInit {
  private readonly logger = new Logger(EmailChangeService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly changes: EmailChangesRepository,
    private readonly sessions: SessionsService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly authCache: UserAuthCache,
    private readonly config: AppConfig,
    private readonly notices: SecurityNoticesService,
    private readonly holds: SecurityHoldService,
    private readonly freezes: AccountFreezeService,
    private readonly failures: FailureLimiter,
  ) {}

  /** A "This wasn't me" freeze cancels a pending change of the sign-in address. */
  onModuleInit(): void {
    this.freezes.registerRemover({ name: 'email_change', removeAddedSince: (tx, userId) => this.changes.retire(tx, userId) });
  }

  async request(caller: AuthUser, newEmail: string): Promise<MessageResponseDto> {
    const user = await this.users.findById(caller.id);
    if (!user) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    if (user.email.toLowerCase() === newEmail) {
      throw badRequest('VALIDATION_FAILED', 'That is already your sign-in address', [{ field: 'newEmail', message: 'That is already your sign-in address' }]);
    }
    this.holds.assertMayChangeSecurity(user);
    const owner = await this.users.findByEmail(newEmail);
    const token = owner ? undefined : randomToken();
    const notice = await this.uow.run(async (tx) => {
      await this.changes.retire(tx, user.id);
      if (token) {
        await this.changes.insert(tx, {
          userId: user.id,
          sessionId: caller.sessionId,
          newEmail,
          tokenHash: sha256Hex(token),
          expiresAt: new Date(Date.now() + EMAIL_CHANGE_TTL_MS),
        });
      }
      await this.audit.record(
        { action: 'auth.email_change_requested', userId: user.id, details: { sessionId: caller.sessionId, newEmail, addressTaken: owner !== null } },
        tx,
      );
      // The security notice to the current address (in-app too), with its "This wasn't me" link.
      return this.notices.record(user.id, SecurityEventKind.EmailChangeRequested, { newEmail }, { tx });
    });
    // Not awaited: the answer takes as long whichever mails go out.
    const mails = [this.notices.deliver(notice), token ? this.linkToNew(newEmail, user.name, token) : this.noticeToTaken(newEmail)];
    for (const sent of mails) sent.catch((e: unknown) => this.logger.error({ err: (e as Error).message, userId: user.id }, 'email change mail failed'));
    return { message: REQUESTED(newEmail) };
  }

  /** The link's page POSTs its token: the address changes, every other session ends, the old address is told. */
  async confirm(token: string): Promise<MessageResponseDto> {
    const done = await this.uow.run(async (tx) => {
      const change = await this.changes.consume(tx, sha256Hex(token));
      if (!change) return null;
      const user = await this.users.findById(change.user_id, tx);
      if (!user)
        throw badRequest('VALIDATION_FAILED', 'The confirmation link is invalid, used or expired', [{ field: 'token', message: 'invalid, used or expired' }]);
      if (user.suspendedAt) throw forbidden('ACCOUNT_SUSPENDED', 'This account is suspended');
      this.holds.assertMayChangeSecurity(user);
      try {
        await this.users.updateEmail(tx, user.id, change.new_email);
      } catch (e) {
        if (pgErrorCode(e) === '23505')
          throw conflict('EMAIL_TAKEN', 'This address has meanwhile been registered by another account; ask for the change again with another address');
        throw e;
      }
      await this.audit.record(
        { action: 'auth.email_changed', userId: user.id, details: { from: user.email, to: change.new_email, requestedBySession: change.session_id } },
        tx,
      );
      // An email change is a security change: withdrawals are held for a while.
      await this.holds.place(tx, user.id, SecurityHoldReason.EmailChanged);
      // Told at both addresses: the new one (the account's now) and the old one, which no longer signs in.
      const notice: RecordedSecurityEvent = await this.notices.record(
        user.id,
        SecurityEventKind.EmailChanged,
        { from: user.email, to: change.new_email },
        { tx, alsoEmail: user.email },
      );
      return { userId: user.id, newEmail: change.new_email, keep: change.session_id ?? undefined, notice };
    });
    if (!done) {
      // Counted with the client address's failed credentials (FAILURE_LIMITS.credentials), once the transaction is over.
      await this.failures.countForClient('credentials');
      throw badRequest('VALIDATION_FAILED', 'The confirmation link is invalid, used or expired', [
        { field: 'token', message: 'invalid, used or expired; ask for the change again from Settings' },
      ]);
    }
    this.authCache.forget(done.userId);
    const ended = await this.sessions.endAllForUser(done.userId, 'email_change', done.keep);
    this.notices
      .deliver(done.notice)
      .catch((e: unknown) => this.logger.error({ err: (e as Error).message, userId: done.userId }, 'email changed notice failed'));
    return {
      message: `Your sign-in address is now ${done.newEmail}.${ended > 0 ? ' Your other sessions have been signed out.' : ''}`,
    };
  }

  private linkToNew(to: string, name: string, token: string): Promise<void> {
    const link = `${this.config.values.appUrl}/confirm-email-change?token=${encodeURIComponent(token)}`;
    return this.mail.send({
      to,
      subject: 'Confirm your new CryptoVault email address',
      text:
        `Hello ${name},\n\nOpen this link and press "Confirm" to make this address the sign-in address of your CryptoVault account ` +
        `(valid for 1 hour, once):\n${link}\n\nIf you did not ask for this, ignore this message; nothing changes.`,
      html:
        `<p>Hello ${escapeHtml(name)},</p><p><a href="${escapeHtml(link)}">Open this page and press "Confirm"</a> to make this address the sign-in address ` +
        `of your CryptoVault account (valid for 1 hour, once).</p><p>If you did not ask for this, ignore this message; nothing changes.</p>`,
    });
  }

  private noticeToTaken(to: string): Promise<void> {
    const text =
      `Hello,\n\nSomeone asked to move another CryptoVault account to this address. This address already has a CryptoVault account, ` +
      `so nothing was changed and no account was touched.\n\nIf it was you, use another address, or sign in to this account instead. ` +
      `If it was not you, you need not do anything.`;
    return this.mail.send({
      to,
      subject: 'Security notice: someone tried to use your email address on CryptoVault',
      text,
      html: `<p>${escapeHtml(text).replace(/\n\n/g, '</p><p>')}</p>`,
    });
  }
}
