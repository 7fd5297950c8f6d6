import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { CANDLE_INTERVALS, type CandleInterval } from '../candles/candles.service';
import { IsTimestampInRange } from '../../common/decorators/is-timestamp-in-range.decorator';
import { dateTimeExample, listInWords, wholeNumberBetween } from '../../common/decorators/validation-messages';

const DAYS = { message: wholeNumberBetween('a number of days', 1, 365) };

export class CryptoSummaryDto {
  @ApiProperty({ example: 'bitcoin', description: 'CoinGecko id' })
  id: string;

  @ApiProperty({ example: 'BTC' })
  symbol: string;

  @ApiProperty({ example: 'Bitcoin' })
  name: string;

  @ApiProperty({ example: '104250.00000000', description: 'USD, decimal string' })
  price: string;

  @ApiProperty({ example: '1.8400', description: '24h change in percent, decimal string' })
  change24h: string;

  @ApiProperty({ nullable: true, type: String, example: '2081351250000.00' })
  marketCap: string | null;

  @ApiProperty({ nullable: true, type: String, example: '38412000000.00' })
  volume24h: string | null;

  @ApiProperty({ nullable: true, type: String, example: '105120.00000000' })
  high24h: string | null;

  @ApiProperty({ nullable: true, type: String, example: '101980.00000000' })
  low24h: string | null;

  @ApiProperty({ nullable: true, type: String })
  image: string | null;

  @ApiProperty({ example: '2026-11-28T18:40:00.000Z' })
  lastUpdated: string;

  @ApiProperty({ example: 'coingecko', description: 'simulated, coingecko, coincap or binance' })
  source: string;
}

export class CryptoListDto {
  @ApiProperty({ type: [CryptoSummaryDto] })
  cryptocurrencies: CryptoSummaryDto[];
}

export class CryptoDetailDto extends CryptoSummaryDto {
  @ApiProperty({ nullable: true, type: String, example: '19965000' })
  circulatingSupply: string | null;

  @ApiProperty({ nullable: true, type: String, example: '21000000' })
  totalSupply: string | null;

  @ApiProperty({ nullable: true, type: String, example: '126080.00000000' })
  ath: string | null;

  @ApiProperty({ nullable: true, type: String, example: '2025-10-06T18:57:42.558Z' })
  athDate: string | null;

  @ApiProperty({ example: 'Bitcoin is the first decentralised digital currency.' })
  description: string;
}

export class CryptoDetailResponseDto {
  @ApiProperty({ type: CryptoDetailDto })
  cryptocurrency: CryptoDetailDto;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 7, type: 'integer', description: 'A whole number of days from 1 to 365' })
  @IsOptional()
  @Type(() => Number)
  @IsInt(DAYS)
  @Min(1, DAYS)
  @Max(365, DAYS)
  days?: number;
}

export class HistoryPointDto {
  @ApiProperty({ example: '2026-11-28T18:00:00.000Z' })
  timestamp: string;

  @ApiProperty({ example: '104250.00000000' })
  price: string;
}

export class HistoryResponseDto {
  @ApiProperty({ example: 'bitcoin' })
  coinId: string;

  @ApiProperty({ example: 7 })
  days: number;

  @ApiProperty({ type: [HistoryPointDto] })
  history: HistoryPointDto[];
}

export const CANDLE_INTERVAL_NAMES = Object.keys(CANDLE_INTERVALS) as CandleInterval[];

export class CandlesQueryDto {
  @ApiPropertyOptional({ enum: CANDLE_INTERVAL_NAMES, enumName: 'CandleInterval', default: '1h' })
  @IsOptional()
  @IsIn(CANDLE_INTERVAL_NAMES, { message: `Choose an interval: ${listInWords(CANDLE_INTERVAL_NAMES)}` })
  interval?: CandleInterval;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Start (inclusive), an ISO-8601 date and time between the years 1 and 9999; default: 200 intervals before `to`',
    example: '2026-11-27T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: dateTimeExample('the start', '2026-11-27T00:00:00Z') })
  @IsTimestampInRange()
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'End (exclusive), an ISO-8601 date and time between the years 1 and 9999, after `from`; default: now',
    example: '2026-11-28T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: dateTimeExample('the end', '2026-11-28T00:00:00Z') })
  @IsTimestampInRange()
  to?: string;
}

export class CandleDto {
  @ApiProperty({ example: '2026-11-28T18:00:00.000Z', description: 'Start of the interval' })
  time: string;

  @ApiProperty({ example: '104100.00000000' })
  open: string;

  @ApiProperty({ example: '104400.00000000' })
  high: string;

  @ApiProperty({ example: '104050.00000000' })
  low: string;

  @ApiProperty({ example: '104250.00000000' })
  close: string;

  @ApiProperty({ example: '1600500.00', description: 'USD volume (estimated from the 24h volume where the source gives no trades)' })
  volume: string;
}

export class CandlesResponseDto {
  @ApiProperty({ type: [CandleDto] })
  candles: CandleDto[];
}

export class PriceQuoteDto {
  @ApiProperty({ example: '104250.00000000' })
  price: string;

  @ApiProperty({ example: '1.8400' })
  change24h: string;

  @ApiProperty({ example: '2026-11-28T18:40:00.000Z' })
  timestamp: string;

  @ApiProperty({ example: 'coingecko' })
  source: string;
}

export class SymbolQuoteDto extends PriceQuoteDto {
  @ApiProperty({ example: 'BTC' })
  symbol: string;
}

export class FeedStatusDto {
  @ApiProperty({ example: 'coingecko', description: 'The source serving quotes now; none when every source is failed' })
  source: string;

  @ApiProperty({ example: 'live', description: 'live (first source), failover (a later source), down, starting' })
  state: string;

  @ApiProperty({ nullable: true, type: String, example: '2026-11-28T18:40:00.000Z' })
  lastUpdate: string | null;
}

@ApiExtraModels(PriceQuoteDto)
export class PricesResponseDto {
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(PriceQuoteDto) }, description: 'Keyed by symbol' })
  prices: Record<string, PriceQuoteDto>;

  @ApiProperty({ type: FeedStatusDto })
  status: FeedStatusDto;
}
