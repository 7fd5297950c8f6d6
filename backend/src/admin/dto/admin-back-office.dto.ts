import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsUuidKey } from '../../common/decorators/is-uuid-key.decorator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { IsTimestampInRange } from '../../common/decorators/is-timestamp-in-range.decorator';
import { PageQueryDto } from '../../common/dto/pagination.dto';
import { chooseOne, dateTimeExample } from '../../common/decorators/validation-messages';
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES, OrderDto, type OrderSide, type OrderStatus, type OrderType } from '../../orders/dto/order.dto';

const ROLES = ['user', 'admin'] as const;
const USER_ID = 'Enter a valid user id (like 5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11)';
const ACTION = { message: 'Enter an action name like admin.user_suspended (lower-case letters, digits, _ and .)' };

export class AdminUserStatsDto {
  @ApiProperty() total: number;
  @ApiProperty({ description: 'Verified their email' }) verified: number;
  @ApiProperty() suspended: number;
  @ApiProperty({ description: 'Used a session in the last 7 days' }) active7d: number;
}

export class AdminTradeStatsDto {
  @ApiProperty({ type: Number, nullable: true, description: 'Orders filled in the last 24 h (null until the orders module exists)' })
  count24h: number | null;

  @ApiProperty({ type: String, nullable: true, example: '125000.50', description: 'USD notional filled in the last 24 h' })
  volume24hUsd: string | null;
}

export class AdminPendingStatsDto {
  @ApiProperty({ type: Number, nullable: true, description: 'null until the module that owns them exists' })
  pending: number | null;
}

export class AssetAmountDto {
  @ApiProperty({ example: 'USD' }) asset: string;
  @ApiProperty({ example: '125.00', description: 'Decimal string' }) amount: string;
}

export class AdminStatsDto {
  @ApiProperty({ type: AdminUserStatsDto }) users: AdminUserStatsDto;
  @ApiProperty({ type: AdminTradeStatsDto }) trades: AdminTradeStatsDto;
  @ApiProperty({ type: AdminPendingStatsDto }) deposits: AdminPendingStatsDto;
  @ApiProperty({ type: AdminPendingStatsDto }) withdrawals: AdminPendingStatsDto;

  @ApiProperty({ type: [AssetAmountDto], nullable: true, description: 'Balance of the platform:fees account per asset (null until the ledger exists)' })
  feeRevenue: AssetAmountDto[] | null;

  @ApiProperty({ format: 'date-time' }) generatedAt: string;
}

/** A user as the back office sees it: never a password hash, 2FA secret or token. */
export class AdminUserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES, enumName: 'Role' }) role: (typeof ROLES)[number];
  @ApiProperty() emailVerified: boolean;
  @ApiProperty() twoFactorEnabled: boolean;
  @ApiProperty() suspended: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) suspendedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Locked out after failed logins until' }) lockedUntil: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Most recent use of any session' }) lastActiveAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AdminUserListDto {
  @ApiProperty({ type: [AdminUserDto] }) items: AdminUserDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AdminUserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the email or name (case-insensitive), at most 254 characters', maxLength: 254 })
  @IsOptional()
  @IsString({ message: 'Enter text to search for' })
  @MaxLength(254, { message: 'Search for at most 254 characters' })
  search?: string;
}

export class UpdateUserByAdminDto {
  @ApiPropertyOptional({ description: 'true suspends (every session ends at once); false lifts the suspension' })
  @IsOptional()
  @IsBoolean({ message: 'Choose true (suspend) or false (lift the suspension)' })
  suspended?: boolean;

  @ApiPropertyOptional({
    enum: ROLES,
    enumName: 'Role',
    deprecated: true,
    description: 'Refused (400): roles change through POST /api/admin/users/:id/role, under dual control',
  })
  @IsOptional()
  @IsIn(ROLES, { message: chooseOne(ROLES) })
  role?: (typeof ROLES)[number];
}

class DateRangeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'From this instant (inclusive): an ISO-8601 date and time between the years 1 and 9999' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: dateTimeExample('the start') })
  @IsTimestampInRange()
  from?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Before this instant (exclusive): an ISO-8601 date and time between the years 1 and 9999' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: dateTimeExample('the end') })
  @IsTimestampInRange()
  to?: Date;
}

export class AuditLogQueryDto extends DateRangeQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Events about this user' })
  @IsOptional()
  @IsUuidKey('userId', USER_ID)
  userId?: string;

  @ApiPropertyOptional({
    example: 'admin.user_suspended',
    pattern: '^[a-z0-9_.]{1,64}$',
    maxLength: 64,
    description: 'Exact action, or a prefix ending in "." (e.g. "auth."): up to 64 lower-case letters, digits, _ and .',
  })
  @IsOptional()
  @IsString(ACTION)
  @Matches(/^[a-z0-9_.]{1,64}$/, ACTION)
  action?: string;
}

/** An account an audit entry's details name by id, with its email for people to read. */
export class AuditAccountDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.com' }) email: string;
}

export class AuditLogDto {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({ example: 'admin.user_suspended' }) action: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user the event is about' }) userId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Their email (null when there is no such user)' }) userEmail: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who did it, when not the user' }) actorId: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Their email' }) actorEmail: string | null;
  @ApiProperty({ type: String, nullable: true }) ip: string | null;
  @ApiProperty({ type: String, nullable: true }) userAgent: string | null;
  @ApiProperty({ type: String, nullable: true }) requestId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details: Record<string, unknown>;
  @ApiProperty({
    type: [AuditAccountDto],
    description:
      'The accounts `details` names by id, at any depth (who requested, approved or rejected; an admin query’s userId), each once with its email, ' +
      'so a reader can show people rather than ids; ids of other things, and of accounts that no longer exist, are not listed',
  })
  accounts: AuditAccountDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class AuditLogListDto {
  @ApiProperty({ type: [AuditLogDto] }) items: AuditLogDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class AdminTradeQueryDto extends DateRangeQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Orders of this user' })
  @IsOptional()
  @IsUuidKey('userId', USER_ID)
  userId?: string;

  @IsTicker({ optional: true })
  symbol?: string;

  @ApiPropertyOptional({ enum: ORDER_STATUSES, enumName: 'OrderStatus' })
  @IsOptional()
  @IsIn(ORDER_STATUSES, { message: chooseOne(ORDER_STATUSES) })
  status?: OrderStatus;

  @ApiPropertyOptional({ enum: ORDER_SIDES, enumName: 'OrderSide' })
  @IsOptional()
  @IsIn(ORDER_SIDES, { message: chooseOne(ORDER_SIDES) })
  side?: OrderSide;

  @ApiPropertyOptional({ enum: ORDER_TYPES, enumName: 'OrderType' })
  @IsOptional()
  @IsIn(ORDER_TYPES, { message: chooseOne(ORDER_TYPES) })
  type?: OrderType;
}

/** An order of any user, with who placed it. */
export class AdminTradeDto extends OrderDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() userEmail: string;
}

export class AdminTradeListDto {
  @ApiProperty({ type: [AdminTradeDto] }) items: AdminTradeDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
