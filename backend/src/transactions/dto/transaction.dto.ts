import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { IsTimestampInRange } from '../../common/decorators/is-timestamp-in-range.decorator';
import { chooseOne, dateTimeExample } from '../../common/decorators/validation-messages';
import { PageQueryDto } from '../../common/dto/pagination.dto';
import { ACTIVITY_TYPES, type ActivityType } from './activity.dto';

export const TRANSACTION_TYPES = ['deposit', 'withdrawal', 'trade', 'fee', 'refund', 'adjustment'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

/** Filters shared by the list and the CSV export. */
export class TransactionFiltersDto {
  @ApiPropertyOptional({ enum: TRANSACTION_TYPES, enumName: 'TransactionType' })
  @IsOptional()
  @IsIn(TRANSACTION_TYPES, { message: chooseOne(TRANSACTION_TYPES) })
  type?: TransactionType;

  @IsTicker({ optional: true, description: 'Only entries in this asset' })
  asset?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Entries at or after this ISO-8601 date and time (inclusive), between the years 1 and 9999',
    example: '2026-11-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: dateTimeExample('the start', '2026-11-01T00:00:00Z') })
  @IsTimestampInRange()
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Entries before this ISO-8601 date and time (exclusive), between the years 1 and 9999; not before `from`',
    example: '2026-12-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: dateTimeExample('the end', '2026-12-01T00:00:00Z') })
  @IsTimestampInRange()
  to?: string;
}

export class ListTransactionsQueryDto extends IntersectionType(PageQueryDto, TransactionFiltersDto) {}

/** The CSV export's filters: the list's, and the event type of the rows' journal (the activity's `type`). */
export class ExportTransactionsQueryDto extends TransactionFiltersDto {
  @ApiPropertyOptional({ enum: ACTIVITY_TYPES, enumName: 'ActivityType', description: 'Only the rows of events of this type (as the activity list filters)' })
  @IsOptional()
  @IsIn(ACTIVITY_TYPES, { message: chooseOne(ACTIVITY_TYPES) })
  event?: ActivityType;
}

export class TransactionDto {
  @ApiProperty({ example: '1842' }) id: string;
  @ApiProperty({ enum: TRANSACTION_TYPES, enumName: 'TransactionType' }) type: TransactionType;
  @ApiProperty({ example: 'USD' }) asset: string;
  @ApiProperty({ example: '-500.00', description: 'Signed decimal string: positive credits the user' }) amount: string;
  @ApiProperty({ example: 'completed' }) status: string;
  @ApiProperty({ example: 'Bought 0.01 BTC at $50,000.00 (fee $0.50)' }) description: string;
  @ApiProperty({ example: 'order:5f0c6a2e-4f5b-4a39-9a53-1b8f6c1f2d11:fill' }) reference: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class TransactionResponseDto {
  @ApiProperty({ type: TransactionDto }) transaction: TransactionDto;
}

export class TransactionListDto {
  @ApiProperty({ type: [TransactionDto] }) items: TransactionDto[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor: string | null;
}

export class TransactionTypeCountDto {
  @ApiProperty({ enum: TRANSACTION_TYPES, enumName: 'TransactionType' }) type: TransactionType;
  @ApiProperty() count: number;
}

export class TransactionAssetTotalsDto {
  @ApiProperty({ example: 'USD' }) asset: string;
  @ApiProperty({ example: '1000.00', description: 'Sum of credits' }) credited: string;
  @ApiProperty({ example: '500.50', description: 'Sum of debits (positive number)' }) debited: string;
  @ApiProperty({ example: '499.50' }) net: string;
  @ApiProperty({ example: '0.50', description: 'Trading fees paid in this asset' }) fees: string;
}

export class TransactionStatsDto {
  @ApiProperty() count: number;
  @ApiProperty({ type: [TransactionTypeCountDto] }) byType: TransactionTypeCountDto[];
  @ApiProperty({ type: [TransactionAssetTotalsDto] }) byAsset: TransactionAssetTotalsDto[];
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) firstAt: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) lastAt: string | null;
}

export class TransactionStatsResponseDto {
  @ApiProperty({ type: TransactionStatsDto }) stats: TransactionStatsDto;
}
