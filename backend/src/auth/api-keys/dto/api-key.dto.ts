import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PasskeyAssertionDto } from '../../passkeys/dto/passkey.dto';
import { dateTimeExample } from '../../../common/decorators/validation-messages';
import { IsTimestampInRange } from '../../../common/decorators/is-timestamp-in-range.decorator';
import { API_KEY_SCOPES, type ApiKeyScope } from '../api-keys.repository';
import { MAX_ALLOWLIST_ENTRIES } from '../ip-allowlist';

// eslint-disable-next-line no-control-regex
const NAME = /^[^\u0000-\u001f\u007f]*$/;
const NAME_LENGTH = { message: 'Enter a name of 1 to 64 characters' };
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
const SCOPES_MESSAGE = { message: 'Choose one or more of read, trade and withdraw' };
const ALLOWLIST_MESSAGE = { message: 'Enter at most 20 IP addresses or CIDR blocks such as 203.0.113.7 or 2001:db8::/32' };
const CODE = { message: 'Enter the 6-digit code from your authenticator app, or a backup code' };

export const API_KEY_STATUSES = ['active', 'expired', 'revoked'] as const;
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

export class CreateApiKeyDto {
  @ApiProperty({
    example: 'Trading bot',
    minLength: 1,
    maxLength: 64,
    pattern: NAME.source,
    description: 'A name the owner recognises: 1 to 64 characters (spaces around it are trimmed), without control characters',
  })
  @Transform(trim)
  @IsString(NAME_LENGTH)
  @Length(1, 64, NAME_LENGTH)
  @Matches(NAME, { message: 'A name cannot contain control characters' })
  name: string;

  @ApiProperty({
    enum: API_KEY_SCOPES,
    enumName: 'ApiKeyScope',
    isArray: true,
    minItems: 1,
    maxItems: 3,
    uniqueItems: true,
    description:
      '`read`: GETs of your data; `trade`: orders, convert, alerts; `withdraw`: withdrawals to confirmed address-book entries (needs an IP allowlist)',
  })
  @IsArray(SCOPES_MESSAGE)
  @ArrayMinSize(1, SCOPES_MESSAGE)
  @ArrayMaxSize(3, SCOPES_MESSAGE)
  @ArrayUnique(SCOPES_MESSAGE)
  @IsIn(API_KEY_SCOPES, { each: true, ...SCOPES_MESSAGE })
  scopes: ApiKeyScope[];

  @ApiProperty({
    example: '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=',
    maxLength: 1024,
    description:
      'The Ed25519 public key whose private key will sign the requests: base64 (or base64url) of its 32 bytes, as WebCrypto exportKey("raw") gives it, or a PEM "PUBLIC KEY" (openssl pkey -pubout). The private key never leaves you',
  })
  @IsString({ message: 'Paste an Ed25519 public key: base64 of its 32 bytes, or a PEM "PUBLIC KEY"' })
  @MaxLength(1024, { message: 'Paste an Ed25519 public key: base64 of its 32 bytes, or a PEM "PUBLIC KEY"' })
  publicKey: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_ALLOWLIST_ENTRIES,
    example: ['203.0.113.7', '2001:db8::/32'],
    description:
      'Only requests from these IPv4/IPv6 addresses or CIDR blocks are accepted (at most 20); empty or left out: any address. Required with `withdraw`',
  })
  @IsOptional()
  @IsArray(ALLOWLIST_MESSAGE)
  @ArrayMaxSize(MAX_ALLOWLIST_ENTRIES, ALLOWLIST_MESSAGE)
  @IsString({ each: true, ...ALLOWLIST_MESSAGE })
  @MaxLength(64, { each: true, ...ALLOWLIST_MESSAGE })
  ipAllowlist?: string[];

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the key stops working: an ISO-8601 date and time in the future, at most a year ahead; left out: never',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: dateTimeExample('the expiry') })
  @IsTimestampInRange()
  expiresAt?: Date;

  @ApiPropertyOptional({
    example: '123456',
    minLength: 6,
    maxLength: 20,
    description:
      'With `withdraw` (required then, besides the step-up): a fresh authenticator code (or an unused backup code), 6 to 20 characters; or send `passkey` instead. Ignored for other keys',
  })
  @IsOptional()
  @IsString(CODE)
  @Length(6, 20, CODE)
  twoFactorCode?: string;

  @ApiPropertyOptional({
    type: PasskeyAssertionDto,
    description:
      "With `withdraw`, instead of twoFactorCode: one of the account's passkeys answering a challenge from POST /api/auth/passkeys/confirmation-options",
  })
  @IsOptional()
  @ValidateNested({ message: 'The passkey did not answer completely: try it again' })
  @Type(() => PasskeyAssertionDto)
  passkey?: PasskeyAssertionDto;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid', description: 'The key id: send it as CV-API-KEY' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: API_KEY_SCOPES, enumName: 'ApiKeyScope', isArray: true }) scopes: ApiKeyScope[];
  @ApiProperty({ description: 'The Ed25519 public key, base64 of its 32 bytes' }) publicKey: string;
  @ApiProperty({ type: [String], description: 'CIDR blocks; empty: any address' }) ipAllowlist: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the key was last used (kept to the minute); null: never' })
  lastUsedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The client address of that use' }) lastUsedIp: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
  @ApiProperty({
    enum: API_KEY_STATUSES,
    enumName: 'ApiKeyStatus',
    description:
      '`revoked`: by its owner, a freeze, or a password reset, suspension or closure of the account after it was made; or because its public key turned out to be published',
  })
  status: ApiKeyStatus;
}

export class ApiKeyResponseDto {
  @ApiProperty({ type: ApiKeyDto }) apiKey: ApiKeyDto;
}

export class ApiKeyListResponseDto {
  @ApiProperty({ type: [ApiKeyDto], description: 'Newest first, revoked and expired ones too' }) items: ApiKeyDto[];
  @ApiProperty({ description: 'How many active keys an account may have', example: 10 }) max: number;
}
