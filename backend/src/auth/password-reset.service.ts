import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { badRequest } from '../common/errors/app-error';
import { AppConfig } from '../config/config.service';
import { queryRows } from '../database/rows';
import { inTransaction } from '../database/transaction';
import { MailService } from '../notifications/mail.service';
import { PASSWORD_RESET_TTL_MS } from './auth.constants';
import { ConfirmationsService } from './confirmations.service';
import { MessageResponseDto, ResetTokenValidityDto } from './dto/auth-responses.dto';
import { UserEntity } from './entities/user.entity';
import { escapeHtml } from './email-verification.service';
import { PasswordService } from './password.service';
import { randomToken, sha256Hex } from './secrets';
import { SessionsService } from './sessions.service';
import { UserAuthCache } from './user-auth-cache';

/** Forgot / reset password: a single-use link valid 1 hour; a reset ends every session and lifts confirmation lockouts. */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger(PasswordResetService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly authCache: UserAuthCache,
    private readonly confirmations: ConfirmationsService,
  ) {}

  /** Same answer whether or not the account exists. */
  async requestReset(email: string): Promise<MessageResponseDto> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ email });
    if (user && !user.suspendedAt) {
      // Not awaited: the answer must take as long for unknown addresses as for known ones.
      this.sendReset(user).catch((e: unknown) => this.logger.error({ err: e, userId: user.id }, 'reset mail failed'));
    }
    return { message: 'If an account exists for this address, a reset link is on its way' };
  }

  async validate(token: string): Promise<ResetTokenValidityDto> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM one_time_tokens WHERE token_hash = $1 AND purpose = 'password_reset' AND used_at IS NULL AND expires_at > now()`,
      [sha256Hex(token)],
    );
    return { valid: rows.length === 1 };
  }

  async reset(token: string, newPassword: string): Promise<MessageResponseDto> {
    const hash = await this.passwords.hash(newPassword);
    const userId = await inTransaction(this.dataSource, async (em) => {
      const rows = await queryRows<{ user_id: string }>(em,
        `UPDATE one_time_tokens SET used_at = now()
          WHERE token_hash = $1 AND purpose = 'password_reset' AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
        [sha256Hex(token)],
      );
      if (!rows.length) throw badRequest('VALIDATION_FAILED', 'The reset link is invalid, used or expired', [{ field: 'token', message: 'invalid, used or expired; request a new link' }]);
      const id = rows[0].user_id;
      // tokens_valid_after is truncated to the second like a JWT's iat; same-second tokens die with their sessions below.
      await em.query(
        `UPDATE users SET password_hash = $2, tokens_valid_after = date_trunc('second', now()), failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1`,
        [id, hash],
      );
      await em.query(`UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose = 'password_reset' AND used_at IS NULL`, [id]);
      await this.confirmations.clearForAccount(em, id);
      await this.audit.record({ action: 'auth.password_reset', userId: id }, em);
      return id;
    });
    this.authCache.forget(userId);
    await this.sessions.endAllForUser(userId, 'password_reset');
    return { message: 'Your password has been reset; sign in with the new one' };
  }

  private async sendReset(user: UserEntity): Promise<void> {
    const token = randomToken();
    await inTransaction(this.dataSource, async (em) => {
      await em.query(`UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose = 'password_reset' AND used_at IS NULL`, [user.id]);
      await em.query(`INSERT INTO one_time_tokens (user_id, purpose, token_hash, expires_at) VALUES ($1, 'password_reset', $2, $3)`, [
        user.id,
        sha256Hex(token),
        new Date(Date.now() + PASSWORD_RESET_TTL_MS),
      ]);
      await this.audit.record({ action: 'auth.password_reset_requested', userId: user.id }, em);
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
