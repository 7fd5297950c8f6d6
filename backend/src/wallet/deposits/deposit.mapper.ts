import { dec, toFixedString } from '../../common/money/decimal';
import type { DepositDto } from './dto/deposit.dto';
import type { DepositEntity } from './entities/deposit.entity';

export function toDepositDto(d: DepositEntity): DepositDto {
  return {
    orderId: d.id,
    paymentId: d.providerPaymentId,
    amount: toFixedString(dec(d.priceAmount), 2),
    currency: d.payCurrency,
    payAddress: d.payAddress,
    payAmount: payAmountString(d.payAmount),
    expiresAt: d.expiresAt.toISOString(),
    status: d.status,
    provider: d.provider,
    creditedAt: d.creditedAt ? d.creditedAt.toISOString() : null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** The provider's pay amount exactly (never rounded down: that would underpay), with at least 8 decimals. */
function payAmountString(value: string): string {
  const v = dec(value);
  return v.decimalPlaces() <= 8 ? v.toFixed(8) : v.toFixed();
}
