import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { PageQueryDto } from '../../../common/dto/pagination.dto';
import { SecurityEventKind, SecurityHoldReason } from '../security-event-kinds';

const LINK_TOKEN = { message: 'This link is incomplete: open it again from the email' };

export class SecurityEventDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: SecurityEventKind, enumName: 'SecurityEventKind' })
  kind: SecurityEventKind;

  @ApiProperty({ example: 'Two-factor authentication turned on' })
  title: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, nullable: true, example: 'Firefox on Windows', description: 'The device label of the request, from its User-Agent' })
  device: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.0/24', description: 'The approximate network: IPv4 /24 or IPv6 /48' })
  network: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'For a sign-in: whether it came from a new device or network (and was notified); null otherwise' })
  newDevice: boolean | null;
}

export class SecurityActivityQueryDto extends PageQueryDto {}

export class SecurityActivityPageDto {
  @ApiProperty({ type: [SecurityEventDto] })
  items: SecurityEventDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class FreezeTokenDto {
  @ApiProperty({
    description: `The token of the "This wasn't me" link: 16 to 128 letters, digits, - and _`,
    minLength: 16,
    maxLength: 128,
    pattern: '^[A-Za-z0-9_-]{16,128}$',
  })
  @IsString(LINK_TOKEN)
  @Matches(/^[A-Za-z0-9_-]{16,128}$/, LINK_TOKEN)
  token: string;
}

export class FreezePreviewDto {
  @ApiProperty({ description: 'Whether the link can still freeze the account (unused and not expired)' })
  valid: boolean;

  @ApiPropertyOptional({ type: SecurityEventDto, description: 'What the link is about (only when valid)' })
  event?: SecurityEventDto;
}

export class FreezeResponseDto {
  @ApiProperty({ example: 'Your account is frozen. Reset your password by email to unfreeze it.' })
  message: string;

  @ApiProperty({
    type: [String],
    example: ['two_factor'],
    description: 'What was added since the reported event and has been removed (two_factor, and what other features register: passkeys, addresses...)',
  })
  removed: string[];
}

export class SecurityHoldDto {
  @ApiProperty({ format: 'date-time', description: 'Withdrawals are refused (403 SECURITY_HOLD) until this instant' })
  until: string;

  @ApiProperty({ enum: SecurityHoldReason, enumName: 'SecurityHoldReason' })
  reason: SecurityHoldReason;

  @ApiProperty({ example: 'Withdrawals are on hold until Dec 3, 2026, 14:00 UTC because your password was reset.' })
  message: string;
}
