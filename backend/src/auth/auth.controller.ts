import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Authenticated, type AuthUser, CurrentUser } from '../common/auth/auth-user';
import { ApiErrors } from '../common/dto/error-response.dto';
import { Throttle } from '@nestjs/throttler';
import { AppConfig } from '../config/config.service';
import { clearAuthCookies, setAuthCookies, setCsrfCookie } from './auth-cookies';
import { REFRESH_COOKIE } from './auth.constants';
import { AuthService } from './auth.service';
import { CsrfTokens } from './csrf-tokens.service';
import {
  ChangeEmailDto,
  ChangePasswordDto,
  ConfirmEmailChangeDto,
  EmailOnlyDto,
  LoginDto,
  RefreshDto,
  ResetPasswordDto,
  SignupDto,
  UpdateProfileDto,
  VerifyEmailDto,
} from './dto/auth-requests.dto';
import {
  AuthTokensResponseDto,
  MessageResponseDto,
  ResetTokenValidityDto,
  SignupResponseDto,
  UserResponseDto,
  VerifyEmailResponseDto,
} from './dto/auth-responses.dto';
import { EmailChangeService } from './email-change.service';
import { EmailVerificationService } from './email-verification.service';
import { PasswordResetService } from './password-reset.service';
import { PasskeyLoginDto, PasskeyRequestOptionsResponseDto } from './passkeys/dto/passkey.dto';
import { PasskeysService } from './passkeys/passkeys.service';
import { RequiresStepUp } from './step-up/requires-step-up.decorator';
import { LimitedByOutcomes } from '../common/guards/outcome-budget.guard';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly verification: EmailVerificationService,
    private readonly resets: PasswordResetService,
    private readonly config: AppConfig,
    private readonly csrf: CsrfTokens,
    private readonly passkeys: PasskeysService,
    private readonly emailChanges: EmailChangeService,
  ) {}

  /** The session cookies, and the new session's CSRF token (the pre-session one is worth nothing now). */
  private async signIn(res: Response, tokens: AuthTokensResponseDto): Promise<void> {
    setAuthCookies(res, tokens, this.config.values.cookieSecure);
    const csrf = await this.csrf.forAccessToken(tokens.accessToken);
    if (csrf) setCsrfCookie(res, csrf, this.config.values.cookieSecure);
  }

  @Post('signup')
  @LimitedByOutcomes('signups', 'credentials')
  @ApiOperation({ summary: 'Create an account; a 6-digit code and a link are emailed' })
  @ApiCreatedResponse({ type: SignupResponseDto })
  @ApiErrors(400, 409, 413, 429)
  signup(@Body() dto: SignupDto): Promise<SignupResponseDto> {
    return this.auth.signup(dto);
  }

  @Post('login')
  @HttpCode(200)
  @LimitedByOutcomes('credentials')
  @ApiOperation({ summary: 'Sign in; tokens in the body and as HttpOnly cookies' })
  @ApiOkResponse({ type: AuthTokensResponseDto })
  @ApiErrors(400, 401, 403, 429)
  async login(@Body() dto: LoginDto, @Res({ passthrough: true }) res: Response): Promise<AuthTokensResponseDto> {
    const result = await this.auth.login(dto);
    await this.signIn(res, result);
    return result;
  }

  @Post('passkeys/login-options')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Options for signing in with a passkey: a single-use challenge for any passkey of this site (no account named)',
    description: 'Answer it at POST /api/auth/passkeys/login (passkey alone) or as `passkey` of POST /api/auth/login (the second factor).',
  })
  @ApiOkResponse({ type: PasskeyRequestOptionsResponseDto })
  @ApiErrors(429)
  getPasskeyLoginOptions(): Promise<PasskeyRequestOptionsResponseDto> {
    return this.passkeys.signInOptions();
  }

  @Post('passkeys/login')
  @HttpCode(200)
  @LimitedByOutcomes('credentials')
  @ApiOperation({
    summary: 'Sign in with a passkey alone; the same tokens and cookies as a password sign-in',
    description:
      '401 PASSKEY_INVALID when the assertion does not verify (unknown passkey, used or expired challenge, origin, RP ID, signature, a replayed counter, no user verification); a failure counts on the account lockout (429 ACCOUNT_LOCKED).',
  })
  @ApiOkResponse({ type: AuthTokensResponseDto })
  @ApiErrors(400, 401, 403, 429)
  async loginWithPasskey(@Body() dto: PasskeyLoginDto, @Res({ passthrough: true }) res: Response): Promise<AuthTokensResponseDto> {
    const result = await this.auth.loginWithPasskey(dto.credential);
    await this.signIn(res, result);
    return result;
  }

  @Post('logout')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({ summary: 'Revoke this access token and its session; clears the cookies' })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(403, 429)
  async logout(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response): Promise<MessageResponseDto> {
    const result = await this.auth.logout(user);
    clearAuthCookies(res, this.config.values.cookieSecure);
    return result;
  }

  @Post('logout-all')
  @HttpCode(200)
  @Authenticated()
  @ApiOperation({
    summary: 'Sign out everywhere: end every session of the account, this one included; clears the cookies',
    description: 'Works while the account is locked out of confirmations (ACCOUNT_LOCKED), so the owner can always end a stolen session.',
  })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(403, 429)
  async logoutAll(@CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response): Promise<MessageResponseDto> {
    const result = await this.auth.logoutEverywhere(user);
    clearAuthCookies(res, this.config.values.cookieSecure);
    return result;
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the refresh token (cookie or body) for a new pair; reuse of a rotated token ends the session' })
  @ApiOkResponse({ type: AuthTokensResponseDto })
  @ApiErrors(400, 401, 403, 429)
  async refreshTokens(@Body() dto: RefreshDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthTokensResponseDto> {
    const cookie = (req.cookies as Record<string, unknown> | undefined)?.[REFRESH_COOKIE];
    const result = await this.auth.refresh(dto.refreshToken ?? (typeof cookie === 'string' ? cookie : undefined));
    await this.signIn(res, result);
    return result;
  }

  @Get('me')
  @Authenticated()
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(403, 429)
  getMe(@CurrentUser() user: AuthUser): Promise<UserResponseDto> {
    return this.auth.me(user.id);
  }

  @Put('profile')
  @Authenticated()
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(400, 403, 429)
  updateProfile(@CurrentUser() user: AuthUser, @Body() dto: UpdateProfileDto): Promise<UserResponseDto> {
    return this.auth.updateProfile(user.id, dto);
  }

  @Post('change-password')
  @HttpCode(200)
  @Authenticated()
  @RequiresStepUp()
  @ApiOperation({
    summary: 'Change the password; every other session is signed out',
    description: 'Needs a step-up of this session (POST /api/auth/step-up), else 401 STEP_UP_REQUIRED.',
  })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(400, 403, 429)
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<MessageResponseDto> {
    return this.auth.changePassword(user, dto);
  }

  @Post('change-email')
  @HttpCode(200)
  @Authenticated()
  @RequiresStepUp()
  @Throttle({ emailAction: {} })
  @ApiOperation({
    summary: 'Ask to change the sign-in address: a single-use link goes to the new address, a notice to the current one',
    description:
      'Needs a step-up of this session, else 401 STEP_UP_REQUIRED. The same answer whether or not the new address already has an account ' +
      '(its owner is told by mail instead). Nothing changes until the link’s page calls POST /api/auth/confirm-email-change.',
  })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(400, 403, 429)
  changeEmail(@CurrentUser() user: AuthUser, @Body() dto: ChangeEmailDto): Promise<MessageResponseDto> {
    return this.emailChanges.request(user, dto.newEmail);
  }

  @Post('confirm-email-change')
  @HttpCode(200)
  @LimitedByOutcomes('credentials')
  @ApiOperation({
    summary: 'Complete an email change with the token of the link sent to the new address (single use, 1 h); other sessions are signed out',
  })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(400, 403, 409, 429)
  confirmEmailChange(@Body() dto: ConfirmEmailChangeDto): Promise<MessageResponseDto> {
    return this.emailChanges.confirm(dto.token);
  }

  @Post('verify-email')
  @HttpCode(200)
  @LimitedByOutcomes('credentials')
  @ApiOperation({ summary: 'Verify the email address with the link token, or with email and the 6-digit code (5 attempts)' })
  @ApiOkResponse({ type: VerifyEmailResponseDto })
  @ApiErrors(400, 429)
  verifyEmail(@Body() dto: VerifyEmailDto): Promise<VerifyEmailResponseDto> {
    return this.verification.verify(dto);
  }

  @Post('resend-verification')
  @HttpCode(200)
  @Throttle({ emailAction: {} })
  @ApiOperation({ summary: 'Send a new code and link; the same answer whether or not the account exists' })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(400, 429)
  resendVerification(@Body() dto: EmailOnlyDto): Promise<MessageResponseDto> {
    return this.verification.resend(dto.email);
  }

  @Post('forgot-password')
  @HttpCode(200)
  @Throttle({ emailAction: {} })
  @ApiOperation({ summary: 'Email a reset link (1 h, single use); the same answer whether or not the account exists' })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(400, 429)
  forgotPassword(@Body() dto: EmailOnlyDto): Promise<MessageResponseDto> {
    return this.resets.requestReset(dto.email);
  }

  @Get('validate-reset-token/:token')
  @LimitedByOutcomes('credentials')
  @ApiParam({ name: 'token', description: 'The token from the reset link' })
  @ApiOkResponse({ type: ResetTokenValidityDto })
  @ApiErrors(429)
  validateResetToken(@Param('token') token: string): Promise<ResetTokenValidityDto> {
    return this.resets.validate(token);
  }

  @Post('reset-password')
  @HttpCode(200)
  @LimitedByOutcomes('credentials')
  @ApiOperation({ summary: 'Set a new password with a reset token; every session is signed out' })
  @ApiOkResponse({ type: MessageResponseDto })
  @ApiErrors(400, 429)
  resetPassword(@Body() dto: ResetPasswordDto): Promise<MessageResponseDto> {
    return this.resets.reset(dto.token, dto.newPassword);
  }
}
