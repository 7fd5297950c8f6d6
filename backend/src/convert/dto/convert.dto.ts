import { ApiProperty } from '@nestjs/swagger';
import { IsDecimalString } from '../../common/decorators/is-decimal-string.decorator';
import { IsTicker } from '../../common/decorators/is-ticker.decorator';
import { IsUuidKey } from '../../common/decorators/is-uuid-key.decorator';
import { PageQueryDto } from '../../common/dto/pagination.dto';

const MAX_AMOUNT = '100000000000000';

export class CreateConvertQuoteDto {
  @IsTicker({ description: 'What you convert from: USD or the ticker of a listed asset' })
  from: string;

  @IsTicker({ description: 'What you convert to: USD or the ticker of a listed asset, another than `from`' })
  to: string;

  @IsDecimalString({
    optional: true,
    min: '0',
    exclusiveMin: true,
    max: MAX_AMOUNT,
    maxScale: 8,
    label: 'an amount to convert',
    example: '100',
    description:
      'How much of `from` you give, fee included (give this or `receive`, not both): "convert 100 USD" spends at most 100.00. ' +
      'The fee is taken from it; the rest is converted at the rate',
  })
  amount?: string;

  @IsDecimalString({
    optional: true,
    min: '0',
    exclusiveMin: true,
    max: MAX_AMOUNT,
    maxScale: 8,
    label: 'an amount to receive',
    example: '0.01',
    description: "How much of `to` you receive, exactly (give this or `amount`, not both); what it costs in `from`, fee included, is the quote's `give`",
  })
  receive?: string;
}

export class SettleConversionDto {
  @ApiProperty({ format: 'uuid', description: 'A quote of yours from POST /api/convert/quotes, settled before its `expiresAt`' })
  @IsUuidKey('quoteId', 'Choose a quote to convert (a quote id)')
  quoteId: string;
}

export class ConvertHistoryQueryDto extends PageQueryDto {}

/** What every quote and conversion says: the pair, the amounts and the prices they were computed from. */
class ConversionTermsDto {
  @ApiProperty({ format: 'uuid', description: 'The quote id (a settled quote is the conversion: same id)' }) id: string;
  @ApiProperty({ example: 'USD', description: 'The asset given' }) from: string;
  @ApiProperty({ example: 'BTC', description: 'The asset received' }) to: string;
  @ApiProperty({ example: '100.00', description: 'Debited from `from`, fee included (net converted + fee)' }) give: string;
  @ApiProperty({ example: '0.0999001', description: 'The fee, in `feeAsset` (= `from`): the trading fee rate (0.1 %) of what is converted, rounded up' })
  fee: string;
  @ApiProperty({ example: 'USD', description: 'Always `from`: the fee is taken from what you give' }) feeAsset: string;
  @ApiProperty({ example: '0.0999001', description: "The fee's USD value at `fromPrice`" }) feeUsd: string;
  @ApiProperty({ example: '0.00095827', description: 'Credited to `to`: (give − fee) × fromPrice ÷ toPrice, rounded down' }) receive: string;
  @ApiProperty({ example: '0.00000959232613908873', description: 'How many `to` one `from` buys (fromPrice ÷ toPrice, 18 significant digits; for reading)' })
  rate: string;
  @ApiProperty({ example: '1.00', description: 'USD price of one `from` the quote was made at (USD: 1)' }) fromPrice: string;
  @ApiProperty({ example: '104250.00', description: 'USD price of one `to` the quote was made at (USD: 1)' }) toPrice: string;
  @ApiProperty({ format: 'date-time', description: 'When the quote was made' }) createdAt: string;
}

export class ConvertQuoteDto extends ConversionTermsDto {
  @ApiProperty({ example: '0', description: 'The spread over the live prices: none (0); the fee is the only charge' }) spread: string;
  @ApiProperty({ format: 'date-time', description: 'Settle before this instant (the server’s clock), else 409 QUOTE_EXPIRED' }) expiresAt: string;
  @ApiProperty({
    example: 10000,
    description: 'How long the quote can be settled from when it was made, in milliseconds (CONVERT_QUOTE_TTL_MS): count down from receipt',
  })
  validForMs: number;
}

export class ConvertQuoteResponseDto {
  @ApiProperty({ type: ConvertQuoteDto }) quote: ConvertQuoteDto;
}

export class ConversionDto extends ConversionTermsDto {
  @ApiProperty({ format: 'date-time', description: 'When it was settled' }) settledAt: string;
}

export class ConversionResponseDto {
  @ApiProperty({ type: ConversionDto }) conversion: ConversionDto;
}

export class ConversionListDto {
  @ApiProperty({ type: [ConversionDto] }) items: ConversionDto[];
  @ApiProperty({ type: 'string', nullable: true }) nextCursor: string | null;
}
