import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsDecimalString } from '../../../common/decorators/is-decimal-string.decorator';
import { listInWords } from '../../../common/decorators/validation-messages';
import { PAYMENT_STATUSES } from '../../payments/payment-provider';

export const DEPOSIT_CURRENCIES = ['btc', 'eth', 'usdt', 'usdc', 'ltc', 'bnb', 'sol'] as const;
export type DepositCurrency = (typeof DEPOSIT_CURRENCIES)[number];

/** What a deposit can credit: dollars (paid in any currency taken, priced in USD) or one of those currencies itself. */
export const DEPOSIT_ASSETS = ['USD', 'BTC', 'ETH', 'USDT', 'USDC', 'LTC', 'BNB', 'SOL'] as const;
export type DepositAsset = (typeof DEPOSIT_ASSETS)[number];

/** The rules of a USD deposit's `amount` (also used for the message when it is missing). */
export const DEPOSIT_USD_AMOUNT = { min: '10', max: '100000', maxScale: 2, label: 'an amount', example: '250.00' } as const;
/** The rules of a deposit in kind's `quantity`; its value at the live price must also lie within the USD range. */
export const DEPOSIT_QUANTITY = { min: '0', exclusiveMin: true, max: '100000000', maxScale: 8, label: 'a quantity', example: '0.05' } as const;

/**
 * A USD deposit: `amount` dollars, paid in `currency` (`asset` USD, or left out as clients of earlier releases do).
 * A deposit in kind: `quantity` of `asset`, paid in that asset (`currency` left out or the same) and credited as
 * that asset. Which fields a deposit needs is checked by the service, each missing or extra one named.
 */
export class CreateDepositDto {
  @ApiPropertyOptional({
    enum: DEPOSIT_ASSETS,
    enumName: 'DepositAsset',
    default: 'USD',
    description: 'What the deposit credits: USD (give amount and currency), or a currency it takes, credited as itself (give quantity)',
  })
  @IsOptional()
  @IsIn(DEPOSIT_ASSETS, { message: `Choose what to deposit: ${listInWords(DEPOSIT_ASSETS)}` })
  asset?: DepositAsset;

  @IsDecimalString({ ...DEPOSIT_USD_AMOUNT, optional: true, description: 'USD deposits: the dollars to add to the wallet (required for them)' })
  amount?: string;

  @IsDecimalString({
    ...DEPOSIT_QUANTITY,
    optional: true,
    description: 'Deposits in kind: the quantity of the asset to send and to be credited (required for them); worth $10 to $100,000 at the live price',
  })
  quantity?: string;

  @ApiPropertyOptional({
    enum: DEPOSIT_CURRENCIES,
    enumName: 'DepositCurrency',
    description: 'What the user pays with (required for USD deposits; a deposit in kind is paid in its asset)',
  })
  @IsOptional()
  @IsIn(DEPOSIT_CURRENCIES, { message: `Choose a currency to pay with: ${listInWords(DEPOSIT_CURRENCIES)}` })
  currency?: DepositCurrency;
}

export class DepositDto {
  @ApiProperty({ format: 'uuid', description: 'Our order id (the provider echoes it as order_id)' })
  orderId: string;

  @ApiProperty({ description: "The provider's payment id" })
  paymentId: string;

  @ApiProperty({ enum: DEPOSIT_ASSETS, enumName: 'DepositAsset', description: 'What the deposit credits: USD, or the asset paid (a deposit in kind)' })
  asset: string;

  @ApiProperty({ example: '250.00', description: 'What the deposit credits when it is paid in full, in `asset` (dollars, or a quantity of the asset)' })
  amount: string;

  @ApiProperty({
    example: '0.00',
    description: 'How much of `asset` has been credited so far: what arrived of a partly paid deposit, all of it once finished',
  })
  creditedAmount: string;

  @ApiProperty({ enum: DEPOSIT_CURRENCIES, enumName: 'DepositCurrency', description: 'What is paid' })
  currency: string;

  @ApiProperty({ description: 'Where to send the crypto' })
  payAddress: string;

  @ApiProperty({ example: '0.00263158', description: 'How much of the currency to send' })
  payAmount: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  @ApiProperty({
    enum: PAYMENT_STATUSES,
    enumName: 'DepositStatus',
    description:
      "The provider's status: waiting (for the payment), confirming (seen on the chain), confirmed, sending, finished (credited); partially_paid (less arrived: that is credited); failed, refunded, expired",
  })
  status: string;

  @ApiProperty({ enum: ['sandbox', 'nowpayments'], enumName: 'PaymentProviderName' })
  provider: string;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'When the deposit was first credited' })
  creditedAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class DepositResponseDto {
  @ApiProperty({ type: DepositDto })
  deposit: DepositDto;
}

export class DepositPageDto {
  @ApiProperty({ type: [DepositDto] })
  items: DepositDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

/** `held`: paid for an account closed since; nothing credited, an operator returns it (API.md "Deposits: what is credited"). */
export const IPN_OUTCOMES = ['recorded', 'credited', 'duplicate', 'unknown_order', 'held'] as const;
export type IpnOutcome = (typeof IPN_OUTCOMES)[number] | 'mismatch' | 'stale' | 'expired';

export class IpnAckDto {
  @ApiProperty({ example: true })
  received: boolean;

  @ApiProperty({ enum: IPN_OUTCOMES, enumName: 'IpnOutcome', description: 'What the notification did' })
  outcome: string;
}
