import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { FailureLimitsModule } from '../common/guards/failure-limits.module';
import { AppConfig } from '../config/config.service';
import { NotificationsModule } from '../notifications/notifications.module';
import { AccessTokenService } from './access-tokens.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { BackupCodesRepository } from './backup-codes.repository';
import { ConfirmationsRepository } from './confirmations.repository';
import { ConfirmationsService } from './confirmations.service';
import { CsrfTokens } from './csrf-tokens.service';
import { EmailChangeService } from './email-change.service';
import { EmailChangesRepository } from './email-changes.repository';
import { EmailVerificationService } from './email-verification.service';
import { ConfirmationAttemptEntity, ConfirmationLockEntity } from './entities/confirmation.entities';
import { BackupCodeEntity } from './entities/backup-code.entity';
import { EmailChangeEntity } from './entities/email-change.entity';
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
import { StepUpController } from './step-up/step-up.controller';
import { StepUpGuard } from './step-up/step-up.guard';
import { StepUpService } from './step-up/step-up.service';
import { TwoFactorController } from './two-factor.controller';
import { TwoFactorService } from './two-factor.service';
import { UserAuthCache } from './user-auth-cache';
import { SecurityEventEntity } from './entities/security-event.entity';
import { AccountFreezeService } from './security/account-freeze.service';
import { SecurityController } from './security/security.controller';
import { SecurityEventsRepository } from './security/security-events.repository';
import { SecurityHoldService } from './security/security-hold.service';
import { SecurityNoticesService } from './security/security-notices.service';
import { UserAdministrationService } from './users/user-administration.service';
import { AdminRoleChangesRepository } from './users/admin-role-changes.repository';
import { AdminRolesService } from './users/admin-roles.service';
import { AdminRoleChangeEntity } from './entities/admin-role-change.entity';
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
 * (their confirmation options, a step-up with one), the step-up guard (global,
 * for `@RequiresStepUp()` routes) and service (a passkey steps a session up
 * through it), the counter of failed confirmations that every such check goes
 * through, the administration of accounts (for the back office in admin/), and
 * account protection: security notices (SecurityNoticesService.record), the
 * security hold on withdrawals (SecurityHoldService) and the "This wasn't me"
 * freeze (AccountFreezeService.registerRemover for what a freeze removes).
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
      EmailChangeEntity,
      SecurityEventEntity,
      AdminRoleChangeEntity,
    ]),
    AuditModule,
    NotificationsModule,
    FailureLimitsModule,
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
  controllers: [AuthController, StepUpController, TwoFactorController, SessionsController, SecurityController, PasskeysController],
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
    EmailChangesRepository,
    SecurityEventsRepository,
    SecurityNoticesService,
    SecurityHoldService,
    AccountFreezeService,
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
    EmailChangeService,
    StepUpService,
    StepUpGuard,
    UserAdministrationService,
    AdminRoleChangesRepository,
    AdminRolesService,
  ],
  exports: [
    JwtAuthGuard,
    StepUpGuard,
    StepUpService,
    AccessTokenService,
    CsrfTokens,
    UserAuthCache,
    SessionsService,
    ConfirmationsService,
    TwoFactorService,
    PasskeysService,
    PasswordService,
    UserAdministrationService,
    AdminRolesService,
    SecurityNoticesService,
    SecurityHoldService,
    AccountFreezeService,
  ],
})
export class AuthModule {}
