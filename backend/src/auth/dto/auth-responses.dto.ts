import { ApiProperty } from '@nestjs/swagger';
import { SecurityHoldDto } from '../security/dto/security.dto';

export enum UserRole {
  User = 'user',
  Admin = 'admin',
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ann@example.com' })
  email: string;

  @ApiProperty({ example: 'Ann Example' })
  name: string;

  @ApiProperty({ enum: UserRole, enumName: 'UserRole' })
  role: UserRole;

  @ApiProperty()
  emailVerified: boolean;

  @ApiProperty()
  twoFactorEnabled: boolean;

  @ApiProperty({
    type: SecurityHoldDto,
    nullable: true,
    description: 'The running security hold on withdrawals (its end, reason and explanation), or null when withdrawals are not held',
  })
  securityHold: SecurityHoldDto | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class UserResponseDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class SignupResponseDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ example: true, description: 'Always true: a code and a link were sent by email' })
  verificationRequired: boolean;
}

export class AuthTokensResponseDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ description: 'JWT for `Authorization: Bearer` (also set as the access_token cookie)' })
  accessToken: string;

  @ApiProperty({ description: 'Opaque refresh token, single use (also set as the refresh_token cookie, path /api/auth)' })
  refreshToken: string;

  @ApiProperty({ example: 900, description: 'Access token lifetime in seconds' })
  expiresIn: number;
}

export class MessageResponseDto {
  @ApiProperty({ example: 'Done' })
  message: string;
}

export class VerifyEmailResponseDto {
  @ApiProperty({ example: true })
  verified: boolean;

  @ApiProperty({ type: UserDto })
  user: UserDto;
}

export class StepUpResponseDto {
  @ApiProperty({ format: 'date-time', description: 'Until when this session may make security changes without confirming again' })
  stepUpUntil: string;
}

export class ResetTokenValidityDto {
  @ApiProperty()
  valid: boolean;
}

export class TwoFactorSetupResponseDto {
  @ApiProperty({ description: 'Base32 secret, shown this once (to type into an app that cannot scan)' })
  secret: string;

  @ApiProperty({ example: 'otpauth://totp/CryptoVault:ann%40example.com?secret=…&issuer=CryptoVault' })
  otpauthUrl: string;

  @ApiProperty({ description: 'PNG QR code of otpauthUrl as a data: URL' })
  qrCodeDataUrl: string;
}

export class BackupCodesResponseDto {
  @ApiProperty({ type: [String], description: '10 single-use codes, shown this once', example: ['k7pq-x3mz-a9cd'] })
  backupCodes: string[];
}

export class TwoFactorStatusDto {
  @ApiProperty()
  enabled: boolean;

  @ApiProperty({ example: 10 })
  backupCodesRemaining: number;
}

export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Firefox on Windows' })
  device: string;

  @ApiProperty({ example: '203.0.113.7', nullable: true, type: String })
  ip: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  lastUsedAt: string;

  @ApiProperty({ description: 'The session of the access token making this request' })
  current: boolean;
}

export class SessionListResponseDto {
  @ApiProperty({ type: [SessionDto] })
  sessions: SessionDto[];
}
