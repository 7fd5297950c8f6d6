import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth/auth-user';
import { badRequest, conflict, forbidden, unauthenticated } from '../common/errors/app-error';
import { requestContext } from '../common/request-context';
import { AppConfig } from '../config/config.service';
import { pgErrorCode } from '../database/transaction';
import { UnitOfWork } from '../database/unit-of-work';
import { MailService } from '../notifications/mail.service';
import { EMAIL_CHANGE_TTL_MS } from './auth.constants';
import { MessageResponseDto } from './dto/auth-responses.dto';
import { EmailChangesRepository } from './email-changes.repository';
import { escapeHtml } from './email-verification.service';
import { randomToken, sha256Hex } from './secrets';
import { SessionsService } from './sessions.service';
import { UserAuthCache } from './user-auth-cache';
import { UsersRepository } from './users/users.repository';

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
export class EmailChangeService {
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
  ) {}

  async request(caller: AuthUser, newEmail: string): Promise<MessageResponseDto> {
    const user = await this.users.findById(caller.id);
    if (!user) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    if (user.email.toLowerCase() === newEmail) {
      throw badRequest('VALIDATION_FAILED', 'newEmail is already your sign-in address', [
        { field: 'newEmail', message: 'newEmail is already your sign-in address' },
      ]);
    }
    const owner = await this.users.findByEmail(newEmail);
    const token = owner ? undefined : randomToken();
    await this.uow.run(async (tx) => {
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
    });
    // Not awaited: the answer takes as long whichever mails go out.
    const mails = [this.noticeToCurrent(user.email, user.name, newEmail), token ? this.linkToNew(newEmail, user.name, token) : this.noticeToTaken(newEmail)];
    for (const sent of mails) sent.catch((e: unknown) => this.logger.error({ err: (e as Error).message, userId: user.id }, 'email change mail failed'));
    return { message: REQUESTED(newEmail) };
  }

  /** The link's page POSTs its token: the address changes, every other session ends, the old address is told. */
  async confirm(token: string): Promise<MessageResponseDto> {
    const done = await this.uow.run(async (tx) => {
      const change = await this.changes.consume(tx, sha256Hex(token));
      if (!change) {
        throw badRequest('VALIDATION_FAILED', 'The confirmation link is invalid, used or expired', [
          { field: 'token', message: 'invalid, used or expired; ask for the change again from Settings' },
        ]);
      }
      const user = await this.users.findById(change.user_id, tx);
      if (!user)
        throw badRequest('VALIDATION_FAILED', 'The confirmation link is invalid, used or expired', [{ field: 'token', message: 'invalid, used or expired' }]);
      if (user.suspendedAt) throw forbidden('ACCOUNT_SUSPENDED', 'This account is suspended');
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
      return { userId: user.id, name: user.name, oldEmail: user.email, newEmail: change.new_email, keep: change.session_id ?? undefined };
    });
    this.authCache.forget(done.userId);
    const ended = await this.sessions.endAllForUser(done.userId, 'email_change', done.keep);
    this.changedNotice(done.oldEmail, done.name, done.newEmail).catch((e: unknown) =>
      this.logger.error({ err: (e as Error).message, userId: done.userId }, 'email changed notice failed'),
    );
    return {
      message: `Your sign-in address is now ${done.newEmail}.${ended > 0 ? ' Your other sessions have been signed out.' : ''}`,
    };
  }

  private origin(): string {
    const ctx = requestContext.getStore();
    return ctx?.ip ? ` It was asked from IP ${ctx.ip}${ctx.userAgent ? ` (${ctx.userAgent.slice(0, 120)})` : ''}.` : '';
  }

  private noticeToCurrent(to: string, name: string, newEmail: string): Promise<void> {
    const resetLink = `${this.config.values.appUrl}/forgot-password`;
    const text =
      `Hello ${name},\n\nSomeone signed in to your CryptoVault account asked to change its sign-in address to ${newEmail}.${this.origin()}\n` +
      `Nothing changes unless the confirmation link sent to that address is used within 1 hour.\n\n` +
      `If this was not you, someone may have access to a signed-in device: reset your password now (${resetLink}). ` +
      `That signs out every session and cancels the change. Then review Settings > Sessions.`;
    return this.mail.send({
      to,
      subject: 'Security notice: a change of your CryptoVault email address was requested',
      text,
      html: `<p>${escapeHtml(text).replace(/\n\n/g, '</p><p>').replace(/\n/g, '<br>')}</p>`,
    });
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

  private changedNotice(to: string, name: string, newEmail: string): Promise<void> {
    const text =
      `Hello ${name},\n\nThe sign-in address of your CryptoVault account was changed to ${newEmail}; this address no longer signs in. ` +
      `Every other session was signed out.\n\nIf this was not you, contact support at once and reply to this message.`;
    return this.mail.send({
      to,
      subject: 'Security notice: your CryptoVault email address was changed',
      text,
      html: `<p>${escapeHtml(text).replace(/\n\n/g, '</p><p>')}</p>`,
    });
  }
}
