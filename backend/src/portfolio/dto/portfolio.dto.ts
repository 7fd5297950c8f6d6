import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsISO8601, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { IsDecimalString } from '../../common/decorators/is-decimal-string.decorator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { IsTimestampInRange } from '../../common/decorators/is-timestamp-in-range.decorator';
import { dateTimeExample, wholeNumberBetween } from '../../common/decorators/validation-messages';

const DAYS = { message: wholeNumberBetween('a number of days', 1, 365) };

/**
 * The earliest instant a tracked lot may be dated: 2009-01-01 where it comes first (UTC+14), so that a person
 * anywhere who picks 1 January 2009 (sent as their local midnight) is accepted. Nothing was bought before 2009.
 */
export const EARLIEST_ACQUIRED_AT = new Date('2009-01-01T00:00:00+14:00');
/** A date this little ahead of the server's clock (a client clock a little fast, "now" sent from a form) counts as now. */
export const ACQUIRED_AT_SKEW_MS = 5 * 60_000;

/** Why an ISO-8601 purchase date cannot date a lot (before 2009, in the future), or null; read beside IsISO8601. */
export function acquiredAtProblem(value: unknown, now = Date.now()): string | null {
  if (typeof value !== 'string') return null;
  const at = new Date(value).getTime();
  if (Number.isNaN(at)) return null;
  if (at < EARLIEST_ACQUIRED_AT.getTime()) return 'Choose a purchase date in 2009 or later';
  if (at > now + ACQUIRED_AT_SKEW_MS) return 'Choose a purchase date that is not in the future';
  return null;
}

/** A purchase date from 2009 on and not in the future: 400 on the field, like a date that is not one. */
function IsAcquiredAt(): PropertyDecorator {
  return ValidateBy({
    name: 'isAcquiredAt',
    validator: {
      validate: (value: unknown) => acquiredAtProblem(value) === null,
      defaultMessage: (args) =>
        acquiredAtProblem(args?.value) === 'Choose a purchase date in 2009 or later'
          ? 'Choose a purchase date in 2009 or later'
          : 'Choose a purchase date that is not in the future',
    },
  });
}

export const HOLDING_SOURCES = ['account', 'tracked'] as const;
export type HoldingSource = (typeof HOLDING_SOURCES)[number];

export class HoldingDto {
  @ApiProperty({ example: 'BTC' }) symbol: string;
  @ApiProperty({ example: 'BTC' }) name: string;
  @ApiProperty({ example: '0.50000000' }) amount: string;
  @ApiProperty({ type: 'string', nullable: true, example: '40000.00', description: 'Weighted average cost per unit (fees included); null when unknown' })
  avgCost: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '50000.00', description: 'Latest quote; null when the asset has none' })
  currentPrice: string | null;
  @ApiProperty({ example: '25000.00' }) value: string;
  @ApiProperty({ type: 'string', nullable: true, example: '5000.00' }) pnl: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '25.00', description: 'Percent' }) pnlPct: string | null;
  @ApiProperty({ example: '62.50', description: 'Percent of totalValue' }) allocation: string;
  @ApiProperty({ enum: HOLDING_SOURCES, enumName: 'HoldingSource', description: 'account: held here; tracked: an outside holding the user records' })
  source: HoldingSource;
}

export class PortfolioDto {
  @ApiProperty({ example: '40000.00', description: 'cash + every holding (account and tracked) at the latest quotes' }) totalValue: string;
  @ApiProperty({ example: '15000.00', description: 'USD balance (available + locked)' }) cash: string;
  @ApiProperty({ example: '20000.00', description: 'Cost basis of the holdings with a known cost' }) invested: string;
  @ApiProperty({ example: '5000.00' }) unrealizedPnl: string;
  @ApiProperty({ example: '25.00' }) unrealizedPnlPct: string;
  @ApiProperty({ example: '120.00', description: 'Realised by sales here (proceeds after fees minus average cost)' }) realizedPnl: string;
  @ApiProperty({ example: '-310.20', description: 'USD change of the holdings over the last 24 h at the quotes’ 24 h change' }) change24h: string;
  @ApiProperty({ example: '-0.77', description: 'Percent' }) change24hPct: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'Oldest quote used' }) pricesAsOf: string | null;
  @ApiProperty({ type: [HoldingDto] }) holdings: HoldingDto[];
}

export class PortfolioResponseDto {
  @ApiProperty({ type: PortfolioDto }) portfolio: PortfolioDto;
}

export class HoldingResponseDto {
  @ApiProperty({ type: HoldingDto }) holding: HoldingDto;
}

export class TrackHoldingDto {
  @IsTicker({ description: 'Ticker of a listed asset' })
  symbol: string;

  @IsDecimalString({
    min: '0',
    exclusiveMin: true,
    max: '100000000000000',
    maxScale: 18,
    label: 'an amount',
    description: 'Amount held outside (added to an existing tracked holding)',
  })
  amount: string;

  @IsDecimalString({
    optional: true,
    min: '0',
    max: '100000000000000',
    maxScale: 18,
    label: 'an average cost',
    example: '40000',
    description: 'USD paid per unit',
  })
  avgCost?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When this amount was acquired (ISO-8601, from 2009 on, not in the future); now when left out. Dates the lot in the performance history',
    example: '2025-03-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: dateTimeExample('the purchase date', '2025-03-01T00:00:00Z') })
  @IsTimestampInRange()
  @IsAcquiredAt()
  acquiredAt?: string;
}

/** A dated lot of a tracked holding: one addition (POST /api/portfolio/holding), as the performance history counts it. */
export class TrackedLotDto {
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'null for the rest of a holding recorded before holdings had dated lots (dated at its last change; it cannot be moved)',
  })
  id: string | null;
  @ApiProperty({ example: 'BTC' }) symbol: string;
  @ApiProperty({ format: 'date-time', description: 'When it was acquired: where the performance history starts counting it' }) acquiredAt: string;
  @ApiProperty({ example: '0.50000000' }) quantity: string;
  @ApiProperty({ type: String, nullable: true, example: '40000.00', description: 'USD paid per unit; null when not given' }) unitCost: string | null;
}

export class TrackedLotListDto {
  @ApiProperty({ type: [TrackedLotDto], description: 'Oldest first' }) items: TrackedLotDto[];
}

export class TrackedLotResponseDto {
  @ApiProperty({ type: TrackedLotDto }) lot: TrackedLotDto;
}

export class MoveTrackedLotDto {
  @ApiProperty({ format: 'date-time', description: 'When the lot was acquired (ISO-8601, from 2009 on, not in the future)', example: '2025-03-01T00:00:00Z' })
  @IsDefined({ message: dateTimeExample('the purchase date', '2025-03-01T00:00:00Z') })
  @IsISO8601({ strict: true }, { message: dateTimeExample('the purchase date', '2025-03-01T00:00:00Z') })
  @IsTimestampInRange()
  @IsAcquiredAt()
  acquiredAt: string;
}

export class PortfolioHistoryQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 30, type: 'integer', description: 'A whole number of days from 1 to 365' })
  @IsOptional()
  @Type(() => Number)
  @IsInt(DAYS)
  @Min(1, DAYS)
  @Max(365, DAYS)
  days?: number;
}

export class PortfolioPointDto {
  @ApiProperty({ format: 'date-time' }) timestamp: string;
  @ApiProperty({ example: '40000.00' }) value: string;
}

export class PortfolioHistoryDto {
  @ApiProperty({ type: [PortfolioPointDto] }) points: PortfolioPointDto[];
  @ApiProperty({
    example: 'candles',
    description:
      'candles: each asset valued at the recorded candle close of its time; current: at the latest quotes (no candles recorded); mixed: some of each',
  })
  valuation: string;
}
