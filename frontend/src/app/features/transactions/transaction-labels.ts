import type { TransactionType } from '../../api/models';

const TYPE_LABELS: Record<TransactionType, string> = {
  deposit: $localize`:transaction type|kind of a ledger entry:Deposit`,
  withdrawal: $localize`:transaction type|kind of a ledger entry:Withdrawal`,
  trade: $localize`:transaction type|kind of a ledger entry:Trade`,
  fee: $localize`:transaction type|kind of a ledger entry:Fee`,
  refund: $localize`:transaction type|kind of a ledger entry:Refund`,
  adjustment: $localize`:transaction type|kind of a ledger entry:Adjustment`,
};

/** A ledger entry's type in words (the API value when it is one this client does not know). */
export function transactionTypeText(type: string): string {
  return TYPE_LABELS[type as TransactionType] ?? type;
}

/** The status chip's words for the statuses a ledger entry can have (same messages). */
const STATUS_LABELS: Record<string, string> = {
  completed: $localize`:status:completed`,
  pending: $localize`:status:pending`,
  failed: $localize`:status:failed`,
};

/** A ledger entry's status in words (the API value when it is one this client does not know). */
export function transactionStatusText(status: string): string {
  return Object.hasOwn(STATUS_LABELS, status) ? STATUS_LABELS[status] : status;
}
