import { formatAmount, formatPrice } from '../common/money/amount-format';
import { dec } from '../common/money/decimal';
import { conversionRate } from './convert-pricing';
import type { ConversionDto, ConvertQuoteDto } from './dto/convert.dto';
import type { ConvertQuoteEntity } from './entities/convert-quote.entity';

function terms(q: ConvertQuoteEntity) {
  return {
    id: q.id,
    from: q.fromAsset,
    to: q.toAsset,
    give: formatAmount(q.giveAmount, q.fromAsset),
    fee: formatAmount(q.fee, q.fromAsset),
    feeAsset: q.fromAsset,
    feeUsd: formatAmount(q.feeUsd, 'USD'),
    receive: formatAmount(q.receiveAmount, q.toAsset),
    rate: conversionRate(dec(q.fromPrice), dec(q.toPrice)).toFixed(),
    fromPrice: formatPrice(q.fromPrice),
    toPrice: formatPrice(q.toPrice),
    createdAt: new Date(q.createdAt).toISOString(),
  };
}

export function toQuoteDto(q: ConvertQuoteEntity): ConvertQuoteDto {
  return {
    ...terms(q),
    spread: '0',
    expiresAt: new Date(q.expiresAt).toISOString(),
    validForMs: new Date(q.expiresAt).getTime() - new Date(q.createdAt).getTime(),
  };
}

export function toConversionDto(q: ConvertQuoteEntity): ConversionDto {
  return { ...terms(q), settledAt: new Date(q.settledAt ?? q.createdAt).toISOString() };
}
