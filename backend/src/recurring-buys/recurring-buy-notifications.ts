import { formatCrypto, formatDateTime, formatUsd, formatUsdPrice } from '../common/money/prose-format';
import type { NotifyInput } from '../notifications/notifications.service';
import type { OrderDto } from '../orders/dto/order.dto';
import type { RecurringBuyDto, RecurringBuyRunDto } from './dto/recurring-buy.dto';

/** "daily buy of $10.00 of BTC" */
function what(s: Pick<RecurringBuyDto, 'frequency' | 'quoteAmount' | 'symbol'>): string {
  return `${s.frequency} buy of ${formatUsd(s.quoteAmount)} of ${s.symbol}`;
}

/** What the notification's client needs to write it again in the reader's language. */
function data(s: RecurringBuyDto, run: RecurringBuyRunDto, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    recurringBuy: { id: s.id, symbol: s.symbol, quoteAmount: s.quoteAmount, frequency: s.frequency, nextRunAt: s.nextRunAt },
    run,
    ...extra,
  };
}

/**
 * What the owner is told after each run (they were not there): a buy that filled (sent as `order_filled`, with the
 * order as a customer's market buy carries it), or one that was skipped or failed (a `notification` of kind
 * `recurring_buy_skipped` / `recurring_buy_failed`, with the reason and when the next one runs).
 */
export function recurringRunNotification(s: RecurringBuyDto, run: RecurringBuyRunDto, order?: OrderDto): NotifyInput {
  const next = s.nextRunAt ? ` The next one runs on ${formatDateTime(s.nextRunAt)}.` : '';
  if (run.status === 'filled' && order) {
    const fee = order.fee ? ` (fee ${formatUsd(order.fee)})` : '';
    return {
      type: 'order_filled',
      title: `Your recurring buy of ${s.symbol} filled`,
      body: `Your ${what(s)} bought ${formatCrypto(order.quantity, s.symbol)} at ${formatUsdPrice(order.filledPrice ?? '0')}${fee}.`,
      data: data(s, run, { kind: 'recurring_buy_filled', order }),
    };
  }
  if (run.status === 'skipped') {
    const why =
      run.reasonCode === 'INSUFFICIENT_FUNDS' ? 'your available USD balance did not cover it. Add funds to keep it running.' : `${lower(run.reason)}.`;
    return {
      type: 'notification',
      title: `Your recurring buy of ${s.symbol} was skipped`,
      body: `Your ${what(s)} was skipped: ${why}${next}`,
      data: data(s, run, { kind: 'recurring_buy_skipped' }),
    };
  }
  return {
    type: 'notification',
    title: `Your recurring buy of ${s.symbol} did not run`,
    body: `Your ${what(s)} could not run: ${lower(run.reason)}. Nothing was bought.${next}`,
    data: data(s, run, { kind: 'recurring_buy_failed' }),
  };
}

function lower(reason: string | null): string {
  const r = (reason ?? 'something went wrong on our side').replace(/[.\s]+$/, '');
  // "Your account is suspended" → "your account…"; "BTC is no longer listed" stays as it is.
  return /^[A-Z][a-z]/.test(r) ? r.charAt(0).toLowerCase() + r.slice(1) : r;
}
