import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsDecimalString } from '../../../common/decorators/is-decimal-string.decorator';
import { listInWords } from '../../../common/decorators/validation-messages';
import { PAYMENT_STATUSES } from '../../payments/payment-provider';

export const DEPOSIT_CURRENCIES = ['btc', 'eth', 'usdt', 'usdc', 'ltc', 'bnb', 'sol'] as const;
export type DepositCurrency = (typeof DEPOSIT_CURRENCIES)[number];

export class CreateDepositDto {
  @IsDecimalString({ min: '10', max: '100000', maxScale: 2, label: 'an amount', description: 'USD to add to the wallet', example: '250.00' })
  amount: string;

  @ApiProperty({ enum: DEPOSIT_CURRENCIES, enumName: 'DepositCurrency', description: 'What the user pays with' })
  @IsIn(DEPOSIT_CURRENCIES, { message: `Choose a currency to pay with: ${listInWords(DEPOSIT_CURRENCIES)}` })
  currency: DepositCurrency;
}

export class DepositDto {
  @ApiProperty({ format: 'uuid', description: 'Our order id (the provider echoes it as order_id)' })
  orderId: string;

  @ApiProperty({ description: "The provider's payment id" })
  paymentId: string;

  @ApiProperty({ example: '250.00', description: 'USD credited when the payment finishes' })
  amount: string;

  @ApiProperty({ enum: DEPOSIT_CURRENCIES, enumName: 'DepositCurrency' })
  currency: string;

  @ApiProperty({ description: 'Where to send the crypto' })
  payAddress: string;

  @ApiProperty({ example: '0.00263158', description: 'How much of the currency to send' })
  payAmount: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  @ApiProperty({ enum: PAYMENT_STATUSES, enumName: 'DepositStatus' })
  status: string;

  @ApiProperty({ enum: ['sandbox', 'nowpayments'], enumName: 'PaymentProviderName' })
  provider: string;

  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'When the USD was credited' })
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

export const IPN_OUTCOMES = ['recorded', 'credited', 'duplicate', 'unknown_order'] as const;
export type IpnOutcome = (typeof IPN_OUTCOMES)[number] | 'mismatch' | 'stale' | 'expired';

export class IpnAckDto {
  @ApiProperty({ example: true })
  received: boolean;

  @ApiProperty({ enum: IPN_OUTCOMES, enumName: 'IpnOutcome', description: 'What the notification did' })
  outcome: string;
}
