import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { createSecretKey } from 'node:crypto';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config.service';
import { AccessTokenService } from './access-tokens.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { ConfirmationsService } from './confirmations.service';
import { CsrfTokens } from './csrf-tokens.service';
import { EmailVerificationService } from './email-verification.service';
import { BackupCodeEntity } from './entities/backup-code.entity';
import { OneTimeTokenEntity } from './entities/one-time-token.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { SessionEntity } from './entities/session.entity';
import { UserEntity } from './entities/user.entity';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { PasswordResetService } from './password-reset.service';
import { PasswordService } from './password.service';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';
import { TwoFactorController } from './two-factor.controller';
import { TwoFactorService } from './two-factor.service';
import { UserAuthCache } from './user-auth-cache';

/**
 * Accounts and the security spine. Exports the global access-token guard,
 * the token service (for WebSocket authentication), sessions (to end them on
 * suspension), 2FA (to check a code before a withdrawal) and the counter of
 * failed confirmations that every such check goes through.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity, SessionEntity, RefreshTokenEntity, OneTimeTokenEntity, BackupCodeEntity]),
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
  controllers: [AuthController, TwoFactorController, SessionsController],
  providers: [
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
  ],
  exports: [JwtAuthGuard, AccessTokenService, CsrfTokens, UserAuthCache, SessionsService, ConfirmationsService, TwoFactorService, PasswordService],
})
export class AuthModule {}
