import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const base64url = (max: number, description: string) => [
  ApiProperty({ description, maxLength: max, pattern: '^[A-Za-z0-9_-]*$' }),
  IsString(),
  MaxLength(max),
  Matches(BASE64URL, { message: `${description.split(' ')[0]} must be base64url` }),
];
const apply =
  (decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const d of decorators) d(target, key);
  };
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** `response` of a registration (`navigator.credentials.create`), as @simplewebauthn/browser's startRegistration gives it. */
export class PasskeyAttestationResponseDto {
  @apply(base64url(4096, 'clientDataJSON (base64url)'))
  clientDataJSON: string;

  @apply(base64url(32768, 'attestationObject (base64url)'))
  attestationObject: string;

  @ApiPropertyOptional({ maxLength: 32768 })
  @IsOptional()
  @IsString()
  @MaxLength(32768)
  authenticatorData?: string;

  @ApiPropertyOptional({ type: [String], example: ['internal', 'hybrid'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  transports?: string[];

  @ApiPropertyOptional({ example: -7 })
  @IsOptional()
  @IsInt()
  publicKeyAlgorithm?: number;

  @ApiPropertyOptional({ maxLength: 4096 })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  publicKey?: string;
}

/** `response` of an assertion (`navigator.credentials.get`), as @simplewebauthn/browser's startAuthentication gives it. */
export class PasskeyAssertionResponseDto {
  @apply(base64url(4096, 'clientDataJSON (base64url)'))
  clientDataJSON: string;

  @apply(base64url(4096, 'authenticatorData (base64url)'))
  authenticatorData: string;

  @apply(base64url(1024, 'signature (base64url)'))
  signature: string;

  @ApiPropertyOptional({ description: 'The user handle (base64url) of a discoverable credential', maxLength: 256 })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  @Matches(BASE64URL, { message: 'userHandle must be base64url' })
  userHandle?: string;
}

abstract class PublicKeyCredentialDto {
  @apply(base64url(1024, 'id (base64url credential id)'))
  id: string;

  @apply(base64url(1024, 'rawId (base64url credential id)'))
  rawId: string;

  @ApiProperty({ enum: ['public-key'], enumName: 'PublicKeyCredentialType' })
  @IsIn(['public-key'])
  type: 'public-key';

  @ApiPropertyOptional({ enum: ['platform', 'cross-platform'], enumName: 'AuthenticatorAttachment' })
  @IsOptional()
  @IsIn(['platform', 'cross-platform'])
  authenticatorAttachment?: 'platform' | 'cross-platform';

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Client extension results (may be empty)' })
  @IsObject()
  clientExtensionResults: Record<string, unknown>;
}

/** What `navigator.credentials.create` answered (RegistrationResponseJSON). */
export class PasskeyRegistrationCredentialDto extends PublicKeyCredentialDto {
  @ApiProperty({ type: PasskeyAttestationResponseDto })
  @ValidateNested({ message: 'The passkey did not answer completely: try it again' })
  @Type(() => PasskeyAttestationResponseDto)
  response: PasskeyAttestationResponseDto;
}

/** What `navigator.credentials.get` answered (AuthenticationResponseJSON): a passkey's signature over a challenge. */
export class PasskeyAssertionDto extends PublicKeyCredentialDto {
  @ApiProperty({ type: PasskeyAssertionResponseDto })
  @ValidateNested({ message: 'The passkey did not answer completely: try it again' })
  @Type(() => PasskeyAssertionResponseDto)
  response: PasskeyAssertionResponseDto;
}

// eslint-disable-next-line no-control-regex
const PASSKEY_NAME = /^[^\u0000-\u001f\u007f]*$/;
const PASSKEY_NAME_LENGTH = { message: 'Enter a name of 1 to 64 characters' };
const nameProperty = (): PropertyDecorator =>
  apply([
    ApiProperty({
      example: 'MacBook Touch ID',
      minLength: 1,
      maxLength: 64,
      pattern: PASSKEY_NAME.source,
      description: 'A name the owner recognises: 1 to 64 characters (spaces around it are trimmed), without control characters',
    }),
    Transform(trim),
    IsString(PASSKEY_NAME_LENGTH),
    Length(1, 64, PASSKEY_NAME_LENGTH),
    Matches(PASSKEY_NAME, { message: 'A name cannot contain control characters' }),
  ]);

export class RegisterPasskeyDto {
  @nameProperty()
  name: string;

  @ApiProperty({ type: PasskeyRegistrationCredentialDto })
  @ValidateNested({ message: 'The passkey did not answer completely: try it again' })
  @Type(() => PasskeyRegistrationCredentialDto)
  credential: PasskeyRegistrationCredentialDto;
}

export class RenamePasskeyDto {
  @nameProperty()
  name: string;
}

export class PasskeyLoginDto {
  @ApiProperty({ type: PasskeyAssertionDto, description: 'The assertion answering a challenge from POST /api/auth/passkeys/login-options' })
  @ValidateNested({ message: 'The passkey did not answer completely: try it again' })
  @Type(() => PasskeyAssertionDto)
  credential: PasskeyAssertionDto;
}

export class PasskeyCreationOptionsResponseDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'PublicKeyCredentialCreationOptionsJSON: pass it to @simplewebauthn/browser startRegistration({ optionsJSON })',
  })
  options: Record<string, unknown>;
}

export class PasskeyRequestOptionsResponseDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'PublicKeyCredentialRequestOptionsJSON: pass it to @simplewebauthn/browser startAuthentication({ optionsJSON })',
  })
  options: Record<string, unknown>;
}

export class PasskeyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'MacBook Touch ID' })
  name: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Last sign-in or confirmation with it; null: never used' })
  lastUsedAt: string | null;
}

export class PasskeyResponseDto {
  @ApiProperty({ type: PasskeyDto })
  passkey: PasskeyDto;
}

export class PasskeyListResponseDto {
  @ApiProperty({ type: [PasskeyDto] })
  passkeys: PasskeyDto[];
}
