import { creditScale } from './ipn';
import { formatAmount } from '../../common/money/amount-format';
import { dec } from '../../common/money/decimal';
import type { DepositDto } from './dto/deposit.dto';
import type { DepositEntity } from './entities/deposit.entity';

export function toDepositDto(d: DepositEntity): DepositDto {
  return {
    orderId: d.id,
    paymentId: d.providerPaymentId,
    asset: d.creditAsset,
    amount: formatAmount(dec(d.priceAmount).toDecimalPlaces(creditScale(d.creditAsset)), d.creditAsset),
    creditedAmount: formatAmount(dec(creditedAmount(d)).toDecimalPlaces(creditScale(d.creditAsset)), d.creditAsset),
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

/** Credited so far; a deposit an earlier release credited (credit time, nothing recorded as credited) was credited its price. */
function creditedAmount(d: DepositEntity): string {
  return d.creditedAt && dec(d.creditedAmount).isZero() ? d.priceAmount : d.creditedAmount;
}

/** The provider's pay amount exactly (never rounded down: that would underpay), with at least 8 decimals. */
function payAmountString(value: string): string {
  const v = dec(value);
  return v.decimalPlaces() <= 8 ? v.toFixed(8) : v.toFixed();
}
