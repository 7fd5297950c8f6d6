import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const FX_SOURCE_NAMES = ['ecb', 'sample'] as const;

export class FxRateValuesDto {
  @ApiProperty({ example: '1', description: 'Always "1": the base' })
  USD: string;

  @ApiPropertyOptional({
    example: '0.9512937595',
    description: 'Euros per 1 USD (1 / the ECB USD rate), decimal string with up to 10 significant digits; absent until rates are fetched',
  })
  EUR?: string;

  @ApiPropertyOptional({
    example: '0.7896689498',
    description: 'Pounds sterling per 1 USD (ECB GBP rate / ECB USD rate), decimal string with up to 10 significant digits; absent until rates are fetched',
  })
  GBP?: string;
}

/**
 * GET /api/fx/rates. Reference rates for showing USD values in another currency: multiply a USD amount by
 * `rates[currency]`. For display only; balances, orders and the ledger stay in their own assets.
 */
export class FxRatesDto {
  @ApiProperty({ enum: ['USD'], enumName: 'FxBaseCurrency', example: 'USD', description: 'Every rate is units of the currency per 1 of this' })
  base: 'USD';

  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    example: '2026-12-02',
    description:
      'The ECB publication day of the rates (published around 16:00 CET on TARGET working days, so it lags on weekends and holidays); null when no rates were ever fetched, and then only USD is offered',
  })
  date: string | null;

  @ApiProperty({
    enum: FX_SOURCE_NAMES,
    enumName: 'FxRateSource',
    example: 'ecb',
    description: 'ecb: fetched from the European Central Bank; sample: a bundled past day (development, offline), not current rates',
  })
  source: (typeof FX_SOURCE_NAMES)[number];

  @ApiProperty({ example: 'European Central Bank euro foreign exchange reference rates', description: 'Attribution to show with converted values' })
  sourceName: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-12-02T16:10:04.512Z',
    description: 'When the server last fetched these rates from the source; null when none were ever fetched',
  })
  fetchedAt: string | null;

  @ApiProperty({ type: FxRateValuesDto, description: 'Units of each currency per 1 USD, as decimal strings (never floats)' })
  rates: FxRateValuesDto;
}
