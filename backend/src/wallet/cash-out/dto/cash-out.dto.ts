import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { PasskeyAssertionDto } from '../../../auth/passkeys/dto/passkey.dto';
import { IsDecimalString } from '../../../common/decorators/is-decimal-string.decorator';
import { IsUuidKey } from '../../../common/decorators/is-uuid-key.decorator';
import { listInWords } from '../../../common/decorators/validation-messages';
import { WITHDRAWAL_NETWORKS } from '../../withdrawals/withdrawal-rules';
import { CASH_OUT_ASSETS, CASH_OUT_MAX_USD, type CashOutAsset } from '../cash-out-pricing';

const CODE = { message: 'Enter the 6-digit code from your authenticator app, or a backup code' };
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateCashOutQuoteDto {
  @IsDecimalString({
    min: '0',
    exclusiveMin: true,
    max: CASH_OUT_MAX_USD,
    maxScale: 2,
    label: 'an amount',
    example: '100.00',
    description:
      'Dollars to take from your USD balance, conversion fee included: exactly this leaves it. More than 0, at most 1,000,000, whole cents; ' +
      'what it converts to, less the network fee, must reach the stablecoin’s withdrawal minimum (422 BELOW_MINIMUM names the smallest amount)',
  })
  usdAmount: string;

  @ApiProperty({ enum: CASH_OUT_ASSETS, enumName: 'CashOutAsset', example: 'USDT', description: 'The stablecoin the dollars are sent as (case-insensitive)' })
  @Transform(upper)
  @IsIn(CASH_OUT_ASSETS, { message: `Choose the stablecoin to send: ${listInWords(CASH_OUT_ASSETS)}` })
  asset: CashOutAsset;

  @ApiPropertyOptional({
    enum: WITHDRAWAL_NETWORKS,
    enumName: 'WithdrawalNetwork',
    example: 'tron',
    description:
      'A network the stablecoin leaves on (GET /api/wallet/withdrawal-rules); its first network when left out. The cash-out must go to a saved address on it',
  })
  @IsOptional()
  @Transform(lower)
  @IsIn(WITHDRAWAL_NETWORKS, { message: `Choose a network: ${listInWords(WITHDRAWAL_NETWORKS)}` })
  network?: string;
}

export class CreateCashOutDto {
  @ApiProperty({ format: 'uuid', description: 'A cash-out quote of yours (POST /api/wallet/cash-out/quotes), used before its `expiresAt`' })
  @IsUuidKey('quoteId', 'Choose a cash-out quote (a quote id)')
  quoteId: string;

  @ApiProperty({
    format: 'uuid',
    description: "A saved address (GET /api/wallet/addresses) for the quote's stablecoin on the quote's network, confirmed and past its hold",
  })
  @IsUuidKey('addressId', 'Choose one of your saved addresses')
  addressId: string;

  @ApiPropertyOptional({
    example: '123456',
    minLength: 6,
    maxLength: 20,
    description: 'Current authenticator code (or an unused backup code), 6 to 20 characters; or send `passkey` instead',
  })
  @IsOptional()
  @IsString(CODE)
  @Length(6, 20, CODE)
  twoFactorCode?: string;

  @ApiPropertyOptional({
    type: PasskeyAssertionDto,
    description: "Instead of twoFactorCode: one of the account's passkeys answering a challenge from POST /api/auth/passkeys/confirmation-options",
  })
  @IsOptional()
  @ValidateNested({ message: 'The passkey did not answer completely: try it again' })
  @Type(() => PasskeyAssertionDto)
  passkey?: PasskeyAssertionDto;
}

export class CashOutQuoteDto {
  @ApiProperty({ format: 'uuid', description: 'Send it to POST /api/wallet/cash-outs before `expiresAt`' }) id: string;
  @ApiProperty({ example: '100.00', description: 'Dollars taken from your USD balance, conversion fee included' }) usdAmount: string;
  @ApiProperty({
    example: '0.09990010',
    description: 'The conversion fee, in USD, part of usdAmount: the trading fee (0.1 %) of what is converted, rounded up (and the rounding’s sub-cent rest)',
  })
  conversionFee: string;
  @ApiProperty({ enum: CASH_OUT_ASSETS, enumName: 'CashOutAsset', example: 'USDT' }) asset: CashOutAsset;
  @ApiProperty({ enum: WITHDRAWAL_NETWORKS, enumName: 'WithdrawalNetwork', example: 'tron', description: 'The network it is sent on' }) network: string;
  @ApiProperty({ example: '1.0002', description: 'USD price of one unit of the stablecoin (its live quote): the rate the dollars are converted at; no spread' })
  price: string;
  @ApiProperty({ example: '0.99980003999200159968', description: 'Units of the stablecoin one dollar buys (1 ÷ price, 18 significant digits; for reading)' })
  rate: string;
  @ApiProperty({
    example: '99.88004799',
    description: 'The stablecoin bought: (usdAmount − conversionFee) ÷ price, rounded down; all of it is held for the withdrawal',
  })
  converted: string;
  @ApiProperty({ example: '2.50000000', description: "The stablecoin's network fee, taken from what was converted" }) networkFee: string;
  @ApiProperty({ example: '97.38004799', description: 'What arrives at your address: converted − networkFee (the withdrawal’s amount)' }) receive: string;
  @ApiProperty({ format: 'date-time', description: 'When the quote was made' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: 'Use it before this instant (the server’s clock), else 409 QUOTE_EXPIRED' }) expiresAt: string;
  @ApiProperty({
    example: 10000,
    description: 'How long the quote can be used from when it was made, in milliseconds (CONVERT_QUOTE_TTL_MS): count down from receipt',
  })
  validForMs: number;
}

export class CashOutQuoteResponseDto {
  @ApiProperty({ type: CashOutQuoteDto }) quote: CashOutQuoteDto;
}
