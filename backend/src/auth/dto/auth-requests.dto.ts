import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PasskeyAssertionDto } from '../passkeys/dto/passkey.dto';
import { IsNewPassword } from './password.decorator';

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

const EMAIL = { message: 'Enter a valid email address' };
const EMAIL_TOO_LONG = { message: 'That email address is too long (at most 254 characters)' };
const NAME = { message: 'Enter a name of 2 to 100 characters' };
const PASSWORD = { message: 'Enter your password' };
const PASSWORD_TOO_LONG = { message: 'That password is too long (at most 128 characters)' };
const CODE = { message: 'Enter the 6-digit code from your authenticator app, or a backup code' };
const LINK_TOKEN = { message: 'This link is incomplete: open it again from the email' };
const SIX_DIGITS = '^\\d{6}$';

export class SignupDto {
  @ApiProperty({ example: 'ann@example.com', format: 'email', maxLength: 254, description: 'An email address (at most 254 characters)' })
  @Transform(trimLower)
  @IsEmail({}, EMAIL)
  @MaxLength(254, EMAIL_TOO_LONG)
  email: string;

  @IsNewPassword()
  password: string;

  @ApiProperty({ example: 'Ann Example', minLength: 2, maxLength: 100, description: '2 to 100 characters (spaces around it are trimmed)' })
  @Transform(trim)
  @IsString(NAME)
  @Length(2, 100, NAME)
  name: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ann@example.com', format: 'email', maxLength: 254, description: 'An email address (at most 254 characters)' })
  @Transform(trimLower)
  @IsEmail({}, EMAIL)
  @MaxLength(254, EMAIL_TOO_LONG)
  email: string;

  @ApiProperty({ format: 'password', minLength: 1, maxLength: 128, description: 'The password (at most 128 characters)' })
  @IsString(PASSWORD)
  @MinLength(1, PASSWORD)
  @MaxLength(128, PASSWORD_TOO_LONG)
  password: string;

  @ApiPropertyOptional({
    description: 'The current 6-digit TOTP code, or one unused backup code, when 2FA is on (at most 32 characters)',
    example: '123456',
    maxLength: 32,
  })
  @IsOptional()
  @IsString(CODE)
  @MaxLength(32, CODE)
  twoFactorCode?: string;

  @ApiPropertyOptional({
    type: PasskeyAssertionDto,
    description: "Instead of twoFactorCode when 2FA is on: one of the account's passkeys answering a challenge from POST /api/auth/passkeys/login-options",
  })
  @IsOptional()
  @ValidateNested({ message: 'The passkey did not answer completely: try it again' })
  @Type(() => PasskeyAssertionDto)
  passkey?: PasskeyAssertionDto;
}

export class RefreshDto {
  @ApiPropertyOptional({ description: 'The refresh token, when not sent as the refresh_token cookie', maxLength: 4096 })
  @IsOptional()
  @IsString({ message: 'Send the refresh token as text' })
  @MaxLength(4096, { message: 'That refresh token is too long (at most 4096 characters)' })
  refreshToken?: string;
}

export class UpdateProfileDto {
  @ApiProperty({ example: 'Ann Example', minLength: 2, maxLength: 100, description: '2 to 100 characters (spaces around it are trimmed)' })
  @Transform(trim)
  @IsString(NAME)
  @Length(2, 100, NAME)
  name: string;
}

/** The current password is not asked here any more: the route needs a step-up (POST /api/auth/step-up) instead. */
export class ChangePasswordDto {
  @IsNewPassword()
  newPassword: string;
}

export class StepUpDto {
  @ApiPropertyOptional({
    format: 'password',
    minLength: 1,
    maxLength: 128,
    description: 'The current password (required unless `passkey` is sent; at most 128 characters)',
  })
  @ValidateIf((o: StepUpDto) => o.passkey === undefined || o.password !== undefined)
  @IsString(PASSWORD)
  @MinLength(1, PASSWORD)
  @MaxLength(128, PASSWORD_TOO_LONG)
  password?: string;

  @ApiPropertyOptional({
    description: 'When 2FA is on (then required): a current 6-digit code from the authenticator app, or one unused backup code',
    example: '123456',
    maxLength: 32,
  })
  @IsOptional()
  @IsString(CODE)
  @MaxLength(32, CODE)
  code?: string;

  @ApiPropertyOptional({
    type: PasskeyAssertionDto,
    description:
      "Instead of password and code: one of the account's passkeys answering a challenge from POST /api/auth/passkeys/confirmation-options (with user verification)",
  })
  @IsOptional()
  @ValidateNested({ message: 'The passkey did not answer completely: try it again' })
  @Type(() => PasskeyAssertionDto)
  passkey?: PasskeyAssertionDto;
}

export class ChangeEmailDto {
  @ApiProperty({
    example: 'ann@example.org',
    format: 'email',
    maxLength: 254,
    description: 'The new sign-in address (at most 254 characters); a confirmation link is sent to it',
  })
  @Transform(trimLower)
  @IsEmail({}, EMAIL)
  @MaxLength(254, EMAIL_TOO_LONG)
  newEmail: string;
}

export class ConfirmEmailChangeDto {
  @ApiProperty({ description: 'The token from the confirmation link sent to the new address (at most 200 characters)', minLength: 1, maxLength: 200 })
  @IsString(LINK_TOKEN)
  @MinLength(1, LINK_TOKEN)
  @MaxLength(200, LINK_TOKEN)
  token: string;
}

export class VerifyEmailDto {
  @ApiPropertyOptional({ description: 'The token from the verification link, at most 200 characters (or send email and code)', maxLength: 200 })
  @IsOptional()
  @IsString(LINK_TOKEN)
  @MaxLength(200, LINK_TOKEN)
  token?: string;

  @ApiPropertyOptional({ example: 'ann@example.com', format: 'email', maxLength: 254, description: 'With code: the address the code was sent to' })
  @IsOptional()
  @Transform(trimLower)
  @IsEmail({}, EMAIL)
  @MaxLength(254, EMAIL_TOO_LONG)
  email?: string;

  @ApiPropertyOptional({ description: 'The 6-digit code from the verification email', example: '042917', pattern: SIX_DIGITS, minLength: 6, maxLength: 6 })
  @IsOptional()
  @IsString({ message: 'Enter the 6-digit code from the email' })
  @Matches(/^\d{6}$/, { message: 'Enter the 6-digit code from the email' })
  code?: string;
}

export class EmailOnlyDto {
  @ApiProperty({ example: 'ann@example.com', format: 'email', maxLength: 254, description: 'An email address (at most 254 characters)' })
  @Transform(trimLower)
  @IsEmail({}, EMAIL)
  @MaxLength(254, EMAIL_TOO_LONG)
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token from the reset link (at most 200 characters)', maxLength: 200 })
  @IsString(LINK_TOKEN)
  @MaxLength(200, LINK_TOKEN)
  token: string;

  @IsNewPassword()
  newPassword: string;
}

export class TwoFactorCodeDto {
  @ApiProperty({ description: 'A current 6-digit code from the authenticator app', example: '123456', pattern: SIX_DIGITS, minLength: 6, maxLength: 6 })
  @IsString({ message: 'Enter the 6-digit code from your authenticator app' })
  @Matches(/^\d{6}$/, { message: 'Enter the 6-digit code from your authenticator app' })
  code: string;
}
