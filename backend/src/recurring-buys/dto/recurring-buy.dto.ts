import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { IsDecimalString } from '../../common/decorators/is-decimal-string.decorator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { IsTimestampInRange } from '../../common/decorators/is-timestamp-in-range.decorator';
import { chooseOne, dateTimeExample } from '../../common/decorators/validation-messages';
import { PageQueryDto } from '../../common/dto/pagination.dto';
import {
  RECURRING_BUY_STATUSES,
  RECURRING_FREQUENCIES,
  RECURRING_RUN_STATUSES,
  type RecurringBuyStatus,
  type RecurringFrequency,
  type RecurringRunStatus,
} from '../recurring-periods';

/** The most one recurring buy spends per period, in USD. */
export const MAX_RECURRING_AMOUNT = '1000000';

export class CreateRecurringBuyDto {
  @IsTicker({ description: 'Ticker of a listed asset to buy' })
  symbol: string;

  @IsDecimalString({
    min: '0',
    exclusiveMin: true,
    max: MAX_RECURRING_AMOUNT,
    maxScale: 2,
    label: 'an amount in USD',
    example: '25',
    description:
      'USD spent each period, fee included, as a market buy by quoteAmount spends it (POST /api/orders); what is left after the fee must be at least the minimum order value (1 USD), else 422 MIN_NOTIONAL',
  })
  quoteAmount: string;

  @ApiProperty({ enum: RECURRING_FREQUENCIES, enumName: 'RecurringFrequency', description: 'How often it buys: daily, weekly or monthly' })
  @IsIn(RECURRING_FREQUENCIES, { message: chooseOne(RECURRING_FREQUENCIES) })
  frequency: RecurringFrequency;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-12-01T09:00:00Z',
    description:
      'When the first buy runs (ISO 8601); later ones follow at the same time of day (UTC) every day, week or month. Leave it out to start now. Not in the past, at most a year ahead.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: dateTimeExample('the first buy', '2026-12-01T09:00:00Z') })
  @IsTimestampInRange({ message: dateTimeExample('the first buy', '2026-12-01T09:00:00Z') })
  startAt?: string;
}

export class ListRecurringBuysQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: RECURRING_BUY_STATUSES,
    enumName: 'RecurringBuyStatus',
    description: 'Only recurring buys in this state; without it, active and paused ones (deleted ones only when asked for)',
  })
  @IsOptional()
  @IsIn(RECURRING_BUY_STATUSES, { message: chooseOne(RECURRING_BUY_STATUSES) })
  status?: RecurringBuyStatus;
}

export class RecurringBuyRunDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'date-time', description: 'The period this run is for (its start): at most one run per period' })
  periodStart: string;

  @ApiProperty({ format: 'date-time', description: 'When it ran' })
  ranAt: string;

  @ApiProperty({
    enum: RECURRING_RUN_STATUSES,
    enumName: 'RecurringRunStatus',
    description:
      'pending: running; filled: bought (orderId); skipped: not bought, for the reason given (e.g. the balance did not cover it); failed: could not run after retries',
  })
  status: RecurringRunStatus;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The market order it placed (GET /api/orders/:id)' })
  orderId: string | null;

  @ApiProperty({ type: String, nullable: true, example: '0.00012048', description: 'Quantity bought' })
  quantity: string | null;

  @ApiProperty({ type: String, nullable: true, example: '83000.00', description: 'USD price it filled at' })
  price: string | null;

  @ApiProperty({ type: String, nullable: true, example: '0.01', description: 'Fee in USD' })
  fee: string | null;

  @ApiProperty({ type: String, nullable: true, example: '9.99', description: 'USD value bought, before the fee (the order’s quoteAmount)' })
  quoteAmount: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'INSUFFICIENT_FUNDS',
    description:
      'Why it was skipped or failed, as a code: INSUFFICIENT_FUNDS, MIN_NOTIONAL, UNKNOWN_ASSET, ACCOUNT_SUSPENDED (skipped); PRICE_STALE, DATABASE_BUSY, SERVICE_UNAVAILABLE, ERROR (failed)',
  })
  reasonCode: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Your available USD balance did not cover $10.00', description: 'The same in words' })
  reason: string | null;
}

export class RecurringBuyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'BTC' })
  symbol: string;

  @ApiProperty({ example: '25.00', description: 'USD spent each period, fee included' })
  quoteAmount: string;

  @ApiProperty({ enum: RECURRING_FREQUENCIES, enumName: 'RecurringFrequency' })
  frequency: RecurringFrequency;

  @ApiProperty({
    enum: RECURRING_BUY_STATUSES,
    enumName: 'RecurringBuyStatus',
    description: 'active: runs every period; paused: until resumed; deleted: stopped for good (its runs are kept)',
  })
  status: RecurringBuyStatus;

  @ApiProperty({ format: 'date-time', description: 'The first period; every later one is counted from it' })
  startAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next buy runs (null unless active)' })
  nextRunAt: string | null;

  @ApiProperty({ type: RecurringBuyRunDto, nullable: true, description: 'The latest run, if any' })
  lastRun: RecurringBuyRunDto | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  pausedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deletedAt: string | null;
}

export class RecurringBuyResponseDto {
  @ApiProperty({ type: RecurringBuyDto })
  recurringBuy: RecurringBuyDto;
}

export class RecurringBuyListDto {
  @ApiProperty({ type: [RecurringBuyDto] })
  items: RecurringBuyDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class RecurringBuyRunListDto {
  @ApiProperty({ type: [RecurringBuyRunDto], description: 'Newest period first' })
  items: RecurringBuyRunDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
