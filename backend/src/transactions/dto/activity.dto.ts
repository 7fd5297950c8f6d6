import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { IsTimestampInRange } from '../../common/decorators/is-timestamp-in-range.decorator';
import { chooseOne, dateTimeExample } from '../../common/decorators/validation-messages';
import { PageQueryDto } from '../../common/dto/pagination.dto';

/**
 * The business events a person's activity shows: the ledger journal types that change a user's balance. The others
 * (`order_hold`, `order_cancel`, `order_reject`, `withdrawal_hold`, `withdrawal_release`) only hold or release money
 * and are never events.
 */
export const ACTIVITY_TYPES = ['trade', 'convert', 'deposit', 'withdrawal', 'adjustment', 'cash_out', 'cash_out_reversal'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ENTRY_KINDS = ['deposit', 'withdrawal', 'trade', 'fee', 'refund', 'adjustment', 'hold', 'release'] as const;
export type EntryKindName = (typeof ENTRY_KINDS)[number];
export const BUCKETS = ['available', 'locked'] as const;

/** `GET /api/transactions/activity`: a page and the filters. */
export class ActivityQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ACTIVITY_TYPES, enumName: 'ActivityType', description: 'Only events of this type' })
  @IsOptional()
  @IsIn(ACTIVITY_TYPES, { message: chooseOne(ACTIVITY_TYPES) })
  type?: ActivityType;

  @IsTicker({ optional: true, description: 'Only events that moved this asset' })
  asset?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Events at or after this ISO-8601 date and time (inclusive), between the years 1 and 9999',
    example: '2026-11-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: dateTimeExample('the start', '2026-11-01T00:00:00Z') })
  @IsTimestampInRange()
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Events before this ISO-8601 date and time (exclusive), between the years 1 and 9999; not before `from`',
    example: '2026-12-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: dateTimeExample('the end', '2026-12-01T00:00:00Z') })
  @IsTimestampInRange()
  to?: string;
}

export class ActivityLegDto {
  @ApiProperty({ example: 'BTC' }) asset: string;
  @ApiProperty({ example: '0.00095923', description: 'Signed decimal string, the fee excluded: positive credits the user' }) amount: string;
  @ApiProperty({ example: '0.00095923', description: "The user's total in the asset (available + locked) after this event" }) balanceAfter: string;
}

export class ActivityFeeDto {
  @ApiProperty({ example: 'USD' }) asset: string;
  @ApiProperty({ example: '0.10', description: 'What was paid (positive)' }) amount: string;
}

export class ActivityLineDto {
  @ApiProperty({ example: '1842', description: 'The ledger entry id (as in GET /api/transactions/:id when it is shown there)' }) id: string;
  @ApiProperty({ enum: ENTRY_KINDS, enumName: 'LedgerEntryKind' }) kind: EntryKindName;
  @ApiProperty({ example: 'USD' }) asset: string;
  @ApiProperty({ enum: BUCKETS, enumName: 'LedgerBucket' }) bucket: (typeof BUCKETS)[number];
  @ApiProperty({ example: '-100.00', description: 'Signed decimal string' }) amount: string;
}

export class ActivityDto {
  @ApiProperty({ format: 'uuid', description: 'The ledger journal of the event' }) id: string;
  @ApiProperty({ enum: ACTIVITY_TYPES, enumName: 'ActivityType' }) type: ActivityType;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: 'Bought ≈0.00095923 BTC at $104,250.00 (fee $0.10)' }) description: string;
  @ApiProperty({ example: 'order:5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11:fill' }) reference: string;
  @ApiProperty({ type: [ActivityLegDto], description: 'What the event moved, per asset (the fee apart), by asset' }) legs: ActivityLegDto[];
  @ApiProperty({ type: ActivityFeeDto, nullable: true, description: 'The fee the event paid, or null' }) fee: ActivityFeeDto | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '104250.00',
    description:
      "USD per unit of the event's asset: a trade's (or a conversion's to or from USD) from its legs; for an event of one crypto asset, the recorded close at that time; null otherwise. Cents from a dollar up, 8 decimals below",
  })
  price: string | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '100.00',
    description: "The event's principal in USD, to the cent: its USD leg, else its crypto amount at the recorded close; null when no close is recorded",
  })
  usdValue: string | null;
  @ApiProperty({ type: [ActivityLineDto], description: "Every entry of the user's account in the journal, holds included, in order" }) lines: ActivityLineDto[];
}

export class ActivityListDto {
  @ApiProperty({ type: [ActivityDto] }) items: ActivityDto[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor: string | null;
}
