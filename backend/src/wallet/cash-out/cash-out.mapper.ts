import { formatAmount, formatPrice } from '../../common/money/amount-format';
import { dec } from '../../common/money/decimal';
import { stablecoinsPerDollar, type CashOutAsset } from './cash-out-pricing';
import type { CashOutQuoteDto } from './dto/cash-out.dto';
import type { CashOutQuoteEntity } from './entities/cash-out-quote.entity';

/** A stored quote as its owner reads it. */
export function toCashOutQuoteDto(q: CashOutQuoteEntity): CashOutQuoteDto {
  const converted = dec(q.converted);
  const networkFee = dec(q.networkFee);
  return {
    id: q.id,
    usdAmount: formatAmount(q.usdAmount, 'USD'),
    conversionFee: formatAmount(q.fee, 'USD'),
    asset: q.asset as CashOutAsset,
    network: q.network,
    price: formatPrice(q.price),
    rate: stablecoinsPerDollar(dec(q.price)).toFixed(),
    converted: formatAmount(converted, q.asset),
    networkFee: formatAmount(networkFee, q.asset),
    receive: formatAmount(converted.sub(networkFee), q.asset),
    createdAt: new Date(q.createdAt).toISOString(),
    expiresAt: new Date(q.expiresAt).toISOString(),
    validForMs: new Date(q.expiresAt).getTime() - new Date(q.createdAt).getTime(),
  };
}
