import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { AppError, badRequest } from '../common/errors/app-error';
import { FailureLimiter } from '../common/guards/failure-limiter';
import { AppConfig } from '../config/config.service';
import { UnitOfWork } from '../database/unit-of-work';
import { MailService } from '../notifications/mail.service';
import { EMAIL_CODE_MAX_ATTEMPTS, EMAIL_VERIFICATION_TTL_MS } from './auth.constants';
import { VerifyEmailDto } from './dto/auth-requests.dto';
import { MessageResponseDto, VerifyEmailResponseDto } from './dto/auth-responses.dto';
import { UserEntity } from './entities/user.entity';
import { toUserDto } from './mappers';
import { OneTimeTokensRepository } from './one-time-tokens.repository';
import { emailCodeHash, randomToken, sha256Hex, sixDigitCode } from './secrets';
import { UsersRepository } from './users/users.repository';

const invalid = (field: string): AppError =>
  badRequest('VALIDATION_FAILED', 'The verification code or link is invalid or has expired', [{ field, message: 'invalid or expired; request a new one' }]);

/** Email verification by link token or by 6-digit code (24 h; a code allows 5 attempts). */
@Injectable()
export class EmailVerificationService {
  private readonly logger = new Logger(EmailVerificationService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly tokens: OneTimeTokensRepository,
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly failures: FailureLimiter,
  ) {}

  /** Replaces any pending link and code with new ones and mails them. */
  async send(user: Pick<UserEntity, 'id' | 'email' | 'name'>): Promise<void> {
    const token = randomToken();
    const code = sixDigitCode();
    const codeRowId = randomUUID();
    const expiresAt = new Date(Date.now() + EMAIL_VERIFICATION_TTL_MS);
    await this.uow.run(async (tx) => {
      await this.tokens.retire(tx, user.id, ['email_link', 'email_code']);
      await this.tokens.insert(tx, { userId: user.id, purpose: 'email_link', tokenHash: sha256Hex(token), expiresAt });
      await this.tokens.insert(tx, { id: codeRowId, userId: user.id, purpose: 'email_code', tokenHash: emailCodeHash(codeRowId, code), expiresAt });
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
      if (dto.email !== undefined || dto.code !== undefined)
        throw badRequest('VALIDATION_FAILED', 'Send either token, or email and code', [{ field: 'token', message: 'send either token, or email and code' }]);
      const owner = await this.tokens.consume(sha256Hex(dto.token), 'email_link');
      if (!owner) throw await this.failed('token');
      userId = owner;
    } else if (dto.email !== undefined && dto.code !== undefined) {
      userId = await this.consumeCode(dto.email, dto.code);
    } else {
      throw badRequest('VALIDATION_FAILED', 'Send either token, or email and code', [
        { field: dto.email === undefined ? 'email' : 'code', message: 'send either token, or email and code' },
      ]);
    }
    const user = await this.uow.run(async (tx) => {
      await this.tokens.retire(tx, userId, ['email_link', 'email_code']);
      await this.users.markEmailVerified(tx, userId);
      await this.audit.record({ action: 'auth.email_verified', userId, details: { by: dto.token !== undefined ? 'link' : 'code' } }, tx);
      return this.users.findById(userId, tx);
    });
    if (!user) throw invalid(dto.token !== undefined ? 'token' : 'code');
    return { verified: true, user: toUserDto(user) };
  }

  /** Same answer whether or not the account exists (or is already verified). */
  async resend(email: string): Promise<MessageResponseDto> {
    const user = await this.users.findByEmail(email);
    if (user && !user.emailVerifiedAt && !user.suspendedAt) {
      // Not awaited: the answer must take as long for unknown addresses as for known ones.
      this.send(user).catch((e: unknown) => this.logger.error({ err: e, userId: user.id }, 'verification mail failed'));
    }
    return { message: 'If an unverified account exists for this address, a new code and link are on their way' };
  }

  /** Checks a 6-digit code; each try uses one of the code's 5 attempts, claimed atomically. */
  private async consumeCode(email: string, code: string): Promise<string> {
    const row = await this.tokens.latestEmailCode(email);
    if (!row) throw await this.failed('code');
    const claimed = await this.tokens.claimAttempt(row.id, EMAIL_CODE_MAX_ATTEMPTS);
    if (!claimed || emailCodeHash(row.id, code) !== row.token_hash) throw await this.failed('code');
    if (!(await this.tokens.markUsed(row.id))) throw await this.failed('code');
    return row.user_id;
  }

  /** A wrong code or link: counted with the client address's failed credentials (FAILURE_LIMITS.credentials). */
  private async failed(field: 'token' | 'code'): Promise<AppError> {
    await this.failures.countForClient('credentials');
    return invalid(field);
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
