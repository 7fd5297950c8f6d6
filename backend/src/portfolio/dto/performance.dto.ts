import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { listInWords } from '../../common/decorators/validation-messages';
import { HOLDING_SOURCES, type HoldingSource } from './portfolio.dto';

export const PERFORMANCE_RANGES = ['1D', '1W', '1M', '3M', 'YTD', '1Y', 'ALL'] as const;
export type PerformanceRange = (typeof PERFORMANCE_RANGES)[number];

export class PerformanceQueryDto {
  @ApiPropertyOptional({
    enum: PERFORMANCE_RANGES,
    enumName: 'PerformanceRange',
    default: '1M',
    description: 'The period ending now: a day, week, month, 3 months, the year to date (UTC), a year, or everything since the first funding',
  })
  @IsOptional()
  @IsIn(PERFORMANCE_RANGES, { message: `Choose a range: ${listInWords(PERFORMANCE_RANGES)}` })
  range?: PerformanceRange;
}

export class PerformancePointDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ example: '10995.00', description: 'USD value of the portfolio (account and tracked holdings) at this time' }) value: string;
  @ApiProperty({ example: '10000.00', description: 'Net external flows (deposits − withdrawals, USD) from the start of the range up to this time' })
  netFlows: string;
}

export class AssetPerformanceDto {
  @ApiProperty({ example: 'BTC' }) symbol: string;
  @ApiProperty({ example: 'Bitcoin' }) name: string;
  @ApiProperty({ enum: HOLDING_SOURCES, enumName: 'HoldingSource', description: 'account: held here; tracked: an outside holding the user records' })
  source: HoldingSource;
  @ApiProperty({ example: '0.03990000', description: 'Held at the end of the range' }) quantity: string;
  @ApiProperty({ type: 'string', nullable: true, example: '4788.00', description: 'USD value at the end; null without a price' }) value: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '3991.00', description: 'Average cost (fees included) of what is held; null when unknown' })
  costBasis: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '797.00', description: 'value − costBasis; null when either is unknown' })
  unrealised: string | null;
  @ApiProperty({ example: '0.00', description: 'Gains realised by sales and conversions within the range (proceeds after fees − average cost)' })
  realised: string;
  @ApiProperty({ example: '17.00', description: 'Fees paid within the range (USD at the time; already counted in realised or the cost basis)' })
  fees: string;
}

export class PerformanceDto {
  @ApiProperty({ enum: PERFORMANCE_RANGES, enumName: 'PerformanceRange' }) range: PerformanceRange;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'The start: the range’s start or the first funding, whichever is later; null before any funding',
  })
  from: string | null;
  @ApiProperty({ format: 'date-time', description: 'Now' }) to: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When the account (or a tracked lot) was first funded' })
  firstFundedAt: string | null;
  @ApiProperty({ example: '0.00', description: 'USD value just before the start' }) startValue: string;
  @ApiProperty({ example: '9783.00', description: 'USD value now (latest quotes)' }) endValue: string;
  @ApiProperty({ example: '10000.00', description: 'Deposits, credits and tracked lots added within the range (USD at the time)' }) inflows: string;
  @ApiProperty({ example: '1200.00', description: 'Withdrawals and debits within the range (USD at the time; their fees are costs, not flows)' })
  outflows: string;
  @ApiProperty({ example: '8800.00', description: 'inflows − outflows: the money put in, not a gain' }) netFlows: string;
  @ApiProperty({ example: '983.00', description: 'endValue − startValue − netFlows: what the investments earned, fees deducted' }) gain: string;
  @ApiProperty({ example: '17.00', description: 'Fees paid within the range (USD at the time)' }) fees: string;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '9.82',
    description: 'Time-weighted return over the range, percent with 2 decimals (basis points); null when nothing was invested',
  })
  twr: string | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '9.79',
    description: 'Money-weighted return (IRR) over the range, percent, not annualised; null when not meaningful (no rate solves it)',
  })
  irr: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'The IRR per year (XIRR), percent; only for periods of a year or more' })
  irrAnnualised: string | null;
  @ApiProperty({
    example: 'candles',
    description: 'candles: every past value at recorded candle closes; current: some at the latest quotes (no candle recorded for their time)',
  })
  valuation: string;
  @ApiProperty({ type: [PerformancePointDto], description: 'From the start (not before the first funding) to now' }) points: PerformancePointDto[];
  @ApiProperty({ type: [AssetPerformanceDto] }) assets: AssetPerformanceDto[];
}

export class PerformanceResponseDto {
  @ApiProperty({ type: PerformanceDto }) performance: PerformanceDto;
}
