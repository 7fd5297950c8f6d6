import type { AppError } from '../../common/errors/app-error';
import { unprocessable } from '../../common/errors/app-error';
import { formatMoney, formatUsd } from '../../common/money/prose-format';
import type { WithdrawalDto } from '../withdrawals/dto/withdrawal.dto';

/** 422: the saved address is on another network than the one the cash-out was quoted for. */
export function addressNetworkMismatch(addressNetwork: string, asset: string, quoteNetwork: string): AppError {
  return unprocessable(
    'ADDRESS_NETWORK_MISMATCH',
    `This address receives ${asset} on ${addressNetwork}; the quote is for ${quoteNetwork}: choose an address on ${quoteNetwork} or get a new quote`,
    [{ field: 'addressId', message: `receives ${asset} on ${addressNetwork}, not on ${quoteNetwork}` }],
  );
}

/** What a withdrawal that did not go out gives back, for "…; X is available again": a cash-out's dollars, else amount + fee. */
export function availableAgain(w: Pick<WithdrawalDto, 'total' | 'asset' | 'cashOut'>): string {
  return w.cashOut ? `${formatUsd(w.cashOut.usdAmount)} is available again in your USD balance` : `${formatMoney(w.total, w.asset)} is available again`;
}

/**
 * A cash-out's figures on its withdrawal notifications (beside the withdrawal's own), so the client writes them as a
 * cash-out in the reader's language; nothing for any other withdrawal (whose data stays as it was).
 */
export function cashOutNotificationData(w: Pick<WithdrawalDto, 'cashOut'>): Record<string, string> {
  if (!w.cashOut) return {};
  return { cashOutUsd: w.cashOut.usdAmount, cashOutFee: w.cashOut.conversionFee, cashOutPrice: w.cashOut.price };
}

/** The "cash-out requested" notification (the client writes the same from its data): what was converted, what arrives, what happens if it is not sent. */
export function describeCashOutRequest(w: WithdrawalDto, to: string): { subject: string; body: string } {
  const c = w.cashOut!;
  const usd = formatUsd(c.usdAmount);
  const arrives = formatMoney(w.amount, w.asset);
  return {
    subject: `Cash-out requested: ${usd} as ${arrives}`,
    body:
      `We received your request to cash out ${usd}. It was converted to ${formatMoney(w.total, w.asset)} and ${arrives} is sent ` +
      `(network fee ${formatMoney(w.fee, w.asset)}) to your saved address ${to} on ${w.network}. If it is not sent, the ${usd} comes back to your ` +
      `USD balance. If this was not you, cancel it and change your password now.`,
  };
}
