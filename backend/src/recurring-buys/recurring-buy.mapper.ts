import { CASH_ASSET, formatAmount, formatPrice } from '../common/money/amount-format';
import type { RecurringBuyDto, RecurringBuyRunDto } from './dto/recurring-buy.dto';
import type { RecurringBuyRow, RecurringRunRow } from './recurring-buys.repository';

const iso = (d: Date | string | null): string | null => (d === null || d === undefined ? null : new Date(d).toISOString());
const opt = (v: string | null, f: (s: string) => string): string | null => (v === null || v === undefined ? null : f(v));

export function toRecurringBuyRunDto(r: RecurringRunRow, symbol: string): RecurringBuyRunDto {
  return {
    id: r.id,
    periodStart: new Date(r.period_start).toISOString(),
    ranAt: new Date(r.created_at).toISOString(),
    status: r.status,
    orderId: r.order_id,
    quantity: opt(r.quantity, (v) => formatAmount(v, symbol)),
    price: opt(r.price, formatPrice),
    fee: opt(r.fee, (v) => formatAmount(v, CASH_ASSET)),
    quoteAmount: opt(r.quote_amount, (v) => formatAmount(v, CASH_ASSET)),
    reasonCode: r.reason_code,
    reason: r.reason,
  };
}

export function toRecurringBuyDto(r: Omit<RecurringBuyRow, 'last_run'> & { last_run?: RecurringRunRow | null }): RecurringBuyDto {
  return {
    id: r.id,
    symbol: r.symbol,
    quoteAmount: formatAmount(r.quote_amount, CASH_ASSET),
    frequency: r.frequency,
    status: r.status,
    startAt: new Date(r.start_at).toISOString(),
    nextRunAt: iso(r.next_run_at),
    lastRun: r.last_run ? toRecurringBuyRunDto(r.last_run, r.symbol) : null,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
    pausedAt: iso(r.paused_at),
    deletedAt: iso(r.deleted_at),
  };
}
