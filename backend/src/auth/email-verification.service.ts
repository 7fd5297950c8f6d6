import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppError, badRequest } from '../common/errors/app-error';
import { AppConfig } from '../config/config.service';
import { queryRows } from '../database/rows';
import { inTransaction } from '../database/transaction';
import { MailService } from '../notifications/mail.service';
import { EMAIL_CODE_MAX_ATTEMPTS, EMAIL_VERIFICATION_TTL_MS } from './auth.constants';
import { VerifyEmailDto } from './dto/auth-requests.dto';
import { MessageResponseDto, VerifyEmailResponseDto } from './dto/auth-responses.dto';
import { UserEntity } from './entities/user.entity';
import { toUserDto } from './mappers';
import { emailCodeHash, randomToken, sha256Hex, sixDigitCode } from './secrets';

const invalid = (field: string): AppError =>
  badRequest('VALIDATION_FAILED', 'The verification code or link is invalid or has expired', [{ field, message: 'invalid or expired; request a new one' }]);

/** Email verification by link token or by 6-digit code (24 h; a code allows 5 attempts). */
@Injectable()
export class EmailVerificationService {
  private readonly logger = new Logger(EmailVerificationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** Replaces any pending link and code with new ones and mails them. */
  async send(user: Pick<UserEntity, 'id' | 'email' | 'name'>): Promise<void> {
    const token = randomToken();
    const code = sixDigitCode();
    const codeRowId = randomUUID();
    const expiresAt = new Date(Date.now() + EMAIL_VERIFICATION_TTL_MS);
    await inTransaction(this.dataSource, async (em) => {
      await em.query(`UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose IN ('email_link', 'email_code') AND used_at IS NULL`, [user.id]);
      await em.query(`INSERT INTO one_time_tokens (user_id, purpose, token_hash, expires_at) VALUES ($1, 'email_link', $2, $3)`, [user.id, sha256Hex(token), expiresAt]);
      await em.query(`INSERT INTO one_time_tokens (id, user_id, purpose, token_hash, expires_at) VALUES ($1, $2, 'email_code', $3, $4)`, [
        codeRowId,
        user.id,
        emailCodeHash(codeRowId, code),
        expiresAt,
      ]);
    });
    const link = `${this.config.values.appUrl}/verify-email?token=${encodeURIComponent(token)}`;
    await this.mail.send({
      to: user.email,
      subject: `CryptoVault verification code: ${code}`,
      text:
        `Hello ${user.name},\n\nYour CryptoVault verification code is ${code}\n\n` +
        `Or open this link to verify your email address:\n${link}\n\nThe code and the link are valid for 24 hours. ` +
        `If you did not sign up, ignore this message.`,
      html:
        `<p>Hello ${escapeHtml(user.name)},</p><p>Your CryptoVault verification code is <strong style="font-size:1.4em">${code}</strong></p>` +
        `<p>Or <a href="${escapeHtml(link)}">verify your email address</a>.</p><p>The code and the link are valid for 24 hours. If you did not sign up, ignore this message.</p>`,
    });
  }

  async verify(dto: VerifyEmailDto): Promise<VerifyEmailResponseDto> {
    let userId: string;
    if (dto.token !== undefined) {
      if (dto.email !== undefined || dto.code !== undefined) throw badRequest('VALIDATION_FAILED', 'Send either token, or email and code', [{ field: 'token', message: 'send either token, or email and code' }]);
      const rows = await queryRows<{ user_id: string }>(this.dataSource,
        `UPDATE one_time_tokens SET used_at = now()
          WHERE token_hash = $1 AND purpose = 'email_link' AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
        [sha256Hex(dto.token)],
      );
      if (!rows.length) throw invalid('token');
      userId = rows[0].user_id;
    } else if (dto.email !== undefined && dto.code !== undefined) {
      userId = await this.consumeCode(dto.email, dto.code);
    } else {
      throw badRequest('VALIDATION_FAILED', 'Send either token, or email and code', [{ field: dto.email === undefined ? 'email' : 'code', message: 'send either token, or email and code' }]);
    }
    const user = await inTransaction(this.dataSource, async (em) => {
      await em.query(`UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose IN ('email_link', 'email_code') AND used_at IS NULL`, [userId]);
      await em.query('UPDATE users SET email_verified_at = COALESCE(email_verified_at, now()) WHERE id = $1', [userId]);
      await this.audit.record({ action: 'auth.email_verified', userId, details: { by: dto.token !== undefined ? 'link' : 'code' } }, em);
      return em.getRepository(UserEntity).findOneByOrFail({ id: userId });
    });
    return { verified: true, user: toUserDto(user) };
  }

  /** Same answer whether or not the account exists (or is already verified). */
  async resend(email: string): Promise<MessageResponseDto> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ email });
    if (user && !user.emailVerifiedAt && !user.suspendedAt) {
      // Not awaited: the answer must take as long for unknown addresses as for known ones.
      this.send(user).catch((e: unknown) => this.logger.error({ err: e, userId: user.id }, 'verification mail failed'));
    }
    return { message: 'If an unverified account exists for this address, a new code and link are on their way' };
  }

  /** Checks a 6-digit code; each try uses one of the code's 5 attempts, claimed atomically. */
  private async consumeCode(email: string, code: string): Promise<string> {
    const [row] = await this.dataSource.query<{ id: string; user_id: string; token_hash: string }[]>(
      `SELECT t.id, t.user_id, t.token_hash FROM one_time_tokens t JOIN users u ON u.id = t.user_id
        WHERE lower(u.email) = $1 AND t.purpose = 'email_code' AND t.used_at IS NULL AND t.expires_at > now()
        ORDER BY t.created_at DESC LIMIT 1`,
      [email.toLowerCase()],
    );
    if (!row) throw invalid('code');
    const claimed = await queryRows<{ id: string }>(this.dataSource,
      'UPDATE one_time_tokens SET attempts = attempts + 1 WHERE id = $1 AND attempts < $2 AND used_at IS NULL RETURNING id',
      [row.id, EMAIL_CODE_MAX_ATTEMPTS],
    );
    if (!claimed.length || emailCodeHash(row.id, code) !== row.token_hash) throw invalid('code');
    const used = await queryRows<{ id: string }>(this.dataSource, 'UPDATE one_time_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL RETURNING id', [row.id]);
    if (!used.length) throw invalid('code');
    return row.user_id;
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
