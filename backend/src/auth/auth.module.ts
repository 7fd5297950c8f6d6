import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { AppConfig } from '../config/config.service';
import { NotificationsModule } from '../notifications/notifications.module';
import { AccessTokenService } from './access-tokens.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { BackupCodesRepository } from './backup-codes.repository';
import { ConfirmationsRepository } from './confirmations.repository';
import { ConfirmationsService } from './confirmations.service';
import { CsrfTokens } from './csrf-tokens.service';
import { EmailVerificationService } from './email-verification.service';
import { ConfirmationAttemptEntity, ConfirmationLockEntity } from './entities/confirmation.entities';
import { BackupCodeEntity } from './entities/backup-code.entity';
import { OneTimeTokenEntity } from './entities/one-time-token.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { SessionEntity } from './entities/session.entity';
import { UserEntity } from './entities/user.entity';
import { JwtAuthGuard } from './jwt-auth.guard';
import { OneTimeTokensRepository } from './one-time-tokens.repository';
import { JwtStrategy } from './jwt.strategy';
import { PasswordResetService } from './password-reset.service';
import { PasswordService } from './password.service';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';
import { TwoFactorController } from './two-factor.controller';
import { TwoFactorService } from './two-factor.service';
import { UserAuthCache } from './user-auth-cache';
import { UserAdministrationService } from './users/user-administration.service';
import { UserAuthChangesRepository } from './users/user-auth-changes.repository';
import { UsersRepository } from './users/users.repository';
import { PasskeyEntity } from './entities/passkey.entity';
import { PasskeyChallenges } from './passkeys/passkey-challenges';
import { PasskeysController } from './passkeys/passkeys.controller';
import { PasskeysRepository } from './passkeys/passkeys.repository';
import { PasskeysService } from './passkeys/passkeys.service';

/**
 * Accounts and the security spine. Exports the global access-token guard,
 * the token service (for WebSocket authentication), sessions (to end them on
 * suspension), 2FA (to check a code or a passkey before a withdrawal), passkeys
 * (their confirmation options, a step-up with one) and the counter of
 * failed confirmations that every such check goes through, and the
 * administration of accounts (for the back office in admin/).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      UserEntity,
      SessionEntity,
      RefreshTokenEntity,
      OneTimeTokenEntity,
      BackupCodeEntity,
      ConfirmationAttemptEntity,
      ConfirmationLockEntity,
      PasskeyEntity,
    ]),
    AuditModule,
    NotificationsModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails,
        // with a thrown error) to parse it as a PEM public key on every verify.
        secret: createSecretKey(Buffer.from(config.values.jwtSecret, 'utf8')),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    PassportModule,
  ],
  controllers: [AuthController, TwoFactorController, SessionsController, PasskeysController],
  providers: [
    UsersRepository,
    UserAuthChangesRepository,
    SessionsRepository,
    OneTimeTokensRepository,
    BackupCodesRepository,
    ConfirmationsRepository,
    PasskeysRepository,
    PasskeyChallenges,
    PasskeysService,
    AccessTokenService,
    CsrfTokens,
    UserAuthCache,
    JwtAuthGuard,
    JwtStrategy,
    PasswordService,
    SessionsService,
    EmailVerificationService,
    PasswordResetService,
    ConfirmationsService,
    TwoFactorService,
    AuthService,
    UserAdministrationService,
  ],
  exports: [
    JwtAuthGuard,
    AccessTokenService,
    CsrfTokens,
    UserAuthCache,
    SessionsService,
    ConfirmationsService,
    TwoFactorService,
    PasskeysService,
    PasswordService,
    UserAdministrationService,
  ],
})
export class AuthModule {}
