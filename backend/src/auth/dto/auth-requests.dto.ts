import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { PasskeyAssertionDto } from '../passkeys/dto/passkey.dto';
import { IsNewPassword } from './password.decorator';

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SignupDto {
  @ApiProperty({ example: 'ann@example.com', maxLength: 254 })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @IsNewPassword()
  password: string;

  @ApiProperty({ example: 'Ann Example', minLength: 2, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @Length(2, 100, { message: 'name must be 2 to 100 characters long' })
  name: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ann@example.com' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ format: 'password', maxLength: 128 })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({ description: 'The current 6-digit TOTP code, or one unused backup code, when 2FA is on', example: '123456', maxLength: 32 })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  twoFactorCode?: string;

  @ApiPropertyOptional({
    type: PasskeyAssertionDto,
    description: "Instead of twoFactorCode when 2FA is on: one of the account's passkeys answering a challenge from POST /api/auth/passkeys/login-options",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PasskeyAssertionDto)
  passkey?: PasskeyAssertionDto;
}

export class RefreshDto {
  @ApiPropertyOptional({ description: 'The refresh token, when not sent as the refresh_token cookie', maxLength: 4096 })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  refreshToken?: string;
}

export class UpdateProfileDto {
  @ApiProperty({ example: 'Ann Example', minLength: 2, maxLength: 100 })
  @Transform(trim)
  @IsString()
  @Length(2, 100, { message: 'name must be 2 to 100 characters long' })
  name: string;
}

/** The current password is not asked here any more: the route needs a step-up (POST /api/auth/step-up) instead. */
export class ChangePasswordDto {
  @IsNewPassword()
  newPassword: string;
}

export class StepUpDto {
  @ApiPropertyOptional({ format: 'password', maxLength: 128, description: 'The current password (required unless `passkey` is sent)' })
  @ValidateIf((o: StepUpDto) => o.passkey === undefined || o.password !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password?: string;

  @ApiPropertyOptional({
    description: 'When 2FA is on (then required): a current 6-digit code from the authenticator app, or one unused backup code',
    example: '123456',
    maxLength: 32,
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  code?: string;

  @ApiPropertyOptional({
    type: PasskeyAssertionDto,
    description:
      "Instead of password and code: one of the account's passkeys answering a challenge from POST /api/auth/passkeys/confirmation-options (with user verification)",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PasskeyAssertionDto)
  passkey?: PasskeyAssertionDto;
}

export class ChangeEmailDto {
  @ApiProperty({ example: 'ann@example.org', maxLength: 254, description: 'The new sign-in address; a confirmation link is sent to it' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'newEmail must be an email address' })
  @MaxLength(254)
  newEmail: string;
}

export class ConfirmEmailChangeDto {
  @ApiProperty({ description: 'The token from the confirmation link sent to the new address', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  token: string;
}

export class VerifyEmailDto {
  @ApiPropertyOptional({ description: 'The token from the verification link (or send email and code)', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  token?: string;

  @ApiPropertyOptional({ example: 'ann@example.com' })
  @IsOptional()
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ description: 'The 6-digit code from the verification email', example: '042917', pattern: '^\\d{6}$' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code?: string;
}

export class EmailOnlyDto {
  @ApiProperty({ example: 'ann@example.com' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token from the reset link', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  token: string;

  @IsNewPassword()
  newPassword: string;
}

export class TwoFactorCodeDto {
  @ApiProperty({ description: 'A current 6-digit code from the authenticator app', example: '123456', pattern: '^\\d{6}$' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}
