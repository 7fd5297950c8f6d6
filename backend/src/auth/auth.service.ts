import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth/auth-user';
import { AppError, conflict, forbidden, unauthenticated } from '../common/errors/app-error';
import { FailureLimiter } from '../common/guards/failure-limiter';
import { pgErrorCode } from '../database/transaction';
import { KV_STORE, type KeyValueStore } from '../redis/redis.interfaces';
import { AccessTokenService } from './access-tokens.service';
import { LOCKOUT_MS, LOCKOUT_THRESHOLD } from './auth.constants';
import { ChangePasswordDto, LoginDto, SignupDto, UpdateProfileDto } from './dto/auth-requests.dto';
import { AuthTokensResponseDto, MessageResponseDto, SignupResponseDto, UserResponseDto } from './dto/auth-responses.dto';
import { EmailVerificationService } from './email-verification.service';
import type { PasskeyAssertionDto } from './passkeys/dto/passkey.dto';
import { passkeyInvalid, PasskeysService } from './passkeys/passkeys.service';
import { UserEntity } from './entities/user.entity';
import { toUserDto } from './mappers';
import { PasswordService } from './password.service';
import { sha256Hex } from './secrets';
import { SessionsService } from './sessions.service';
import { TwoFactorService } from './two-factor.service';
import { UsersRepository } from './users/users.repository';
import { describeDevice } from './device';
import { requestContext } from '../common/request-context';
import { approximateNetwork } from './security/network';
import { SecurityEventKind } from './security/security-event-kinds';
import { accountFrozen, SecurityHoldService } from './security/security-hold.service';
import { SecurityNoticesService } from './security/security-notices.service';

const invalidCredentials = (): AppError => unauthenticated('INVALID_CREDENTIALS', 'The email or the password is wrong');

function locked(until: Date): AppError {
  const seconds = String(Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)));
  return new AppError(429, 'ACCOUNT_LOCKED', `Too many failed sign-ins; try again in ${Math.ceil(Number(seconds) / 60)} min`, undefined, {
    'Retry-After': seconds,
  });
}

/** Accounts: signup, sign-in (with lockout and 2FA), refresh, logout, profile and password change. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    @Inject(KV_STORE) private readonly kv: KeyValueStore,
    private readonly passwords: PasswordService,
    private readonly accessTokens: AccessTokenService,
    private readonly sessions: SessionsService,
    private readonly verification: EmailVerificationService,
    private readonly twoFactor: TwoFactorService,
    private readonly audit: AuditService,
    private readonly passkeys: PasskeysService,
    private readonly notices: SecurityNoticesService,
    private readonly holds: SecurityHoldService,
    private readonly failures: FailureLimiter,
  ) {}

  async signup(dto: SignupDto): Promise<SignupResponseDto> {
    // Only an accepted signup uses the address's signup budget: the slot is taken first (so a burst of parallel
    // signups cannot all pass the check) and given back when the signup is refused.
    const slot = await this.failures.reserveForClient('signups');
    let user: UserEntity;
    try {
      const passwordHash = await this.passwords.hash(dto.password);
      user = await this.users.insert({ email: dto.email, name: dto.name, passwordHash });
    } catch (e) {
      await slot.release();
      if (pgErrorCode(e) === '23505') {
        // Asking which addresses have an account is probing: it counts with the address's failed credentials.
        await this.failedCredential();
        throw conflict('EMAIL_TAKEN', 'An account with this email already exists');
      }
      throw e;
    }
    await this.audit.record({ action: 'auth.signup', userId: user.id });
    await this.verification.send(user);
    return { user: toUserDto(user), verificationRequired: true };
  }

  async login(dto: LoginDto): Promise<AuthTokensResponseDto> {
    const user = await this.users.findByEmail(dto.email);
    if (!user) {
      await this.passwords.verifyAgainstNothing(dto.password);
      await this.unknownAccountFailure(dto.email);
      await this.audit.record({ action: 'auth.login_failed', details: { reason: 'unknown_email', emailHash: sha256Hex(dto.email).slice(0, 16) } });
      throw invalidCredentials();
    }
    if (user.lockedUntil && new Date(user.lockedUntil).getTime() > Date.now()) {
      // Not counted on the address: a locked account's owner retrying must not use up a NAT's budget.
      await this.passwords.verifyAgainstNothing(dto.password);
      throw locked(new Date(user.lockedUntil));
    }
    if (!(await this.passwords.verify(dto.password, user.passwordHash))) {
      await this.recordFailure(user.id, 'wrong_password');
      throw invalidCredentials();
    }
    if (user.suspendedAt) {
      await this.audit.record({ action: 'auth.login_refused', userId: user.id, details: { reason: 'suspended' } });
      throw forbidden('ACCOUNT_SUSPENDED', 'This account is suspended');
    }
    if (user.frozenAt) {
      await this.audit.record({ action: 'auth.login_refused', userId: user.id, details: { reason: 'frozen' } });
      throw accountFrozen('signing in, withdrawals and security changes are');
    }
    if (!user.emailVerifiedAt) throw forbidden('EMAIL_NOT_VERIFIED', 'Verify your email address first (see the code we sent)');
    if (user.twoFactorEnabledAt) {
      if (!dto.twoFactorCode && !dto.passkey) {
        throw unauthenticated('TWO_FACTOR_REQUIRED', 'Enter the code from your authenticator app (or a backup code), or use a passkey');
      }
      if (!(await this.twoFactor.checkSecondFactor(user, { code: dto.twoFactorCode, passkey: dto.passkey }, null))) {
        await this.recordFailure(user.id, dto.passkey ? 'wrong_passkey' : 'wrong_two_factor_code');
        throw unauthenticated('TWO_FACTOR_INVALID', dto.passkey ? 'The passkey could not be verified' : 'The two-factor code is not valid');
      }
    }
    return this.openSession(user, { twoFactor: user.twoFactorEnabledAt !== null, method: dto.passkey ? 'password+passkey' : 'password' });
  }

  /**
   * Sign-in with a passkey alone (no email, no password): its assertion must
   * answer a challenge from `login-options`, verify (origin, RP ID, signature,
   * counter) and have verified its user (PIN, biometrics), since it stands for
   * both password and second factor. The account's lockout applies and a
   * failed assertion counts on it like a wrong password; a frozen account is
   * refused like at a password sign-in; the session is the one a password
   * sign-in opens (and recorded as a sign-in, so a new device is noticed).
   */
  async loginWithPasskey(credential: PasskeyAssertionDto): Promise<AuthTokensResponseDto> {
    const pending = await this.passkeys.prepare(credential);
    const user = pending?.issued.purpose === 'sign-in' ? await this.users.findById(pending.passkey.user_id) : null;
    if (!pending || !user) {
      await this.failedCredential();
      throw passkeyInvalid();
    }
    if (user.lockedUntil && new Date(user.lockedUntil).getTime() > Date.now()) throw locked(new Date(user.lockedUntil));
    if (!(await this.passkeys.verify(pending, true))) {
      await this.recordFailure(user.id, 'wrong_passkey');
      throw passkeyInvalid();
    }
    if (user.suspendedAt) {
      await this.audit.record({ action: 'auth.login_refused', userId: user.id, details: { reason: 'suspended' } });
      throw forbidden('ACCOUNT_SUSPENDED', 'This account is suspended');
    }
    if (user.frozenAt) {
      await this.audit.record({ action: 'auth.login_refused', userId: user.id, details: { reason: 'frozen' } });
      throw accountFrozen('signing in, withdrawals and security changes are');
    }
    if (!user.emailVerifiedAt) throw forbidden('EMAIL_NOT_VERIFIED', 'Verify your email address first (see the code we sent)');
    return this.openSession(user, { twoFactor: user.twoFactorEnabledAt !== null, method: 'passkey', passkeyId: pending.passkey.id });
  }

  /** The end of every successful sign-in: failures forgotten, a session opened, its tokens issued, the sign-in audited. */
  private async openSession(user: UserEntity, details: Record<string, unknown>): Promise<AuthTokensResponseDto> {
    if (user.failedLogins > 0 || user.lockedUntil) {
      await this.users.clearLoginFailures(user.id);
    }
    const { sessionId, refreshToken } = await this.sessions.open(user.id);
    const access = await this.accessTokens.issue(user, sessionId);
    await this.audit.record({ action: 'auth.login', userId: user.id, details: { sessionId, ...details } });
    await this.recordSignIn(user.id, sessionId);
    return { user: toUserDto(user), accessToken: access.token, refreshToken, expiresIn: access.expiresIn };
  }

  async refresh(refreshToken: string | undefined): Promise<AuthTokensResponseDto> {
    if (!refreshToken) throw unauthenticated('UNAUTHENTICATED', 'Send the refresh token (refresh_token cookie or {refreshToken})');
    const rotated = await this.sessions.rotate(refreshToken);
    const user = await this.users.findById(rotated.userId);
    if (!user) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    if (user.suspendedAt) {
      await this.sessions.end(rotated.sessionId, 'suspended');
      throw forbidden('ACCOUNT_SUSPENDED', 'This account is suspended');
    }
    if (user.frozenAt) {
      await this.sessions.end(rotated.sessionId, 'frozen');
      throw accountFrozen('signing in, withdrawals and security changes are');
    }
    const access = await this.accessTokens.issue(user, rotated.sessionId);
    return { user: toUserDto(user), accessToken: access.token, refreshToken: rotated.refreshToken, expiresIn: access.expiresIn };
  }

  /** Ends the caller's session: its access tokens and refresh-token family stop working on every instance. */
  async logout(caller: AuthUser): Promise<MessageResponseDto> {
    await this.sessions.end(caller.sessionId, 'logout');
    await this.audit.record({ action: 'auth.logout', userId: caller.id, details: { sessionId: caller.sessionId } });
    return { message: 'Signed out' };
  }

  /**
   * Sign out everywhere: ends every session of the account, this one included.
   * Never behind a confirmation (nor its lockout), so an owner whose account
   * a thief's token has locked can always end the thief's session.
   */
  async logoutEverywhere(caller: AuthUser): Promise<MessageResponseDto> {
    const ended = await this.sessions.endAllForUser(caller.id, 'logout');
    await this.audit.record({ action: 'auth.logout_everywhere', userId: caller.id, details: { sessionId: caller.sessionId, sessionsEnded: ended } });
    return { message: `Signed out of every session (${ended})` };
  }

  async me(userId: string): Promise<UserResponseDto> {
    return { user: toUserDto(await this.user(userId)) };
  }

  async updateProfile(userId: string, dto: UpdateProfileDto): Promise<UserResponseDto> {
    await this.users.updateName(userId, dto.name);
    await this.audit.record({ action: 'auth.profile_updated', userId });
    return this.me(userId);
  }

  /** The route needs a step-up (which checked the password); ends every other session (this one stays signed in). */
  async changePassword(caller: AuthUser, dto: ChangePasswordDto): Promise<MessageResponseDto> {
    const user = await this.user(caller.id);
    this.holds.assertMayChangeSecurity(user);
    const hash = await this.passwords.hash(dto.newPassword);
    await this.users.updatePasswordHash(user.id, hash);
    const ended = await this.sessions.endAllForUser(user.id, 'password_change', caller.sessionId);
    await this.audit.record({ action: 'auth.password_changed', userId: user.id, details: { sessionId: caller.sessionId, otherSessionsEnded: ended } });
    await this.notices.record(user.id, SecurityEventKind.PasswordChanged, { otherSessionsEnded: ended });
    return { message: 'Password changed; your other sessions have been signed out' };
  }

  /**
   * Counts a failed sign-in; the 5th in a row locks the account for 15 minutes
   * (a lock that has run out starts the count again).
   */
  private async recordFailure(userId: string, reason: string): Promise<void> {
    await this.failedCredential();
    const row = await this.users.recordLoginFailure(userId, LOCKOUT_THRESHOLD, LOCKOUT_MS / 1000);
    await this.audit.record({ action: 'auth.login_failed', userId, details: { reason, consecutiveFailures: row?.failed_logins } });
    if (row?.locked_until && row.failed_logins === LOCKOUT_THRESHOLD) {
      const until = new Date(row.locked_until).toISOString();
      await this.audit.record({ action: 'auth.account_locked', userId, details: { until } });
      await this.notices.record(userId, SecurityEventKind.LoginLocked, { until });
    }
  }

  /**
   * Records a sign-in; it is notified when it comes from a new device or network: no other session of the account
   * was opened or used from the same device label and the same approximate network (IPv4 /24, IPv6 /48). An
   * account's very first sign-in (just after signup) is not notified.
   */
  private async recordSignIn(userId: string, sessionId: string): Promise<void> {
    const ctx = requestContext.getStore();
    const device = describeDevice(ctx?.userAgent);
    const network = approximateNetwork(ctx?.ip) ?? null;
    const known = await this.sessions.knownOrigins(userId, sessionId);
    const newDevice = known.length > 0 && !known.some((o) => describeDevice(o.userAgent) === device && (approximateNetwork(o.ip) ?? null) === network);
    await this.notices.record(userId, SecurityEventKind.SignedIn, { sessionId, newDevice }, { notify: newDevice });
  }

  /** Unknown addresses lock the same way, so a lockout does not reveal which accounts exist. */
  private async unknownAccountFailure(email: string): Promise<void> {
    const key = `auth:unknown-login:${sha256Hex(email)}`;
    const { count, resetInMs } = await this.kv.increment(key, LOCKOUT_MS).catch(() => ({ count: 0, resetInMs: 0 }));
    // As for a known account: a "locked" answer is not counted on the address, a failure is.
    if (count > LOCKOUT_THRESHOLD) throw locked(new Date(Date.now() + resetInMs));
    await this.failedCredential();
  }

  /** One more failed credential from this client address (FAILURE_LIMITS.credentials, checked by `@LimitedByOutcomes`). */
  private async failedCredential(): Promise<void> {
    await this.failures.countForClient('credentials');
  }

  private async user(userId: string): Promise<UserEntity> {
    const user = await this.users.findById(userId);
    if (!user) throw unauthenticated('UNAUTHENTICATED', 'The account no longer exists');
    return user;
  }
}
