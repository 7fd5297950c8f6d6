import type { ActivityType, LedgerBucket, LedgerEntryKind, TransactionType } from '../../api/models';

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

const ACTIVITY_LABELS: Record<ActivityType, string> = {
  trade: $localize`:activity type|kind of a business event in the history:Trade`,
  convert: $localize`:activity type|kind of a business event in the history:Conversion`,
  deposit: $localize`:activity type|kind of a business event in the history:Deposit`,
  withdrawal: $localize`:activity type|kind of a business event in the history:Withdrawal`,
  adjustment: $localize`:activity type|kind of a business event in the history:Adjustment`,
  cash_out: $localize`:activity type|kind of a business event in the history:Cash-out`,
  cash_out_reversal: $localize`:activity type|kind of a business event in the history:Cash-out returned`,
};

/** An event's type in words (the API value when it is one this client does not know). */
export function activityTypeText(type: string): string {
  return Object.hasOwn(ACTIVITY_LABELS, type) ? ACTIVITY_LABELS[type as ActivityType] : type;
}

const KIND_LABELS: Record<Exclude<LedgerEntryKind, TransactionType>, string> = {
  hold: $localize`:ledger entry kind|money moved from available to held:Hold`,
  release: $localize`:ledger entry kind|held money made available again:Release`,
};

/** A ledger line's kind in words. */
export function entryKindText(kind: string): string {
  return Object.hasOwn(KIND_LABELS, kind) ? KIND_LABELS[kind as keyof typeof KIND_LABELS] : transactionTypeText(kind);
}

const BUCKET_LABELS: Record<LedgerBucket, string> = {
  available: $localize`:ledger bucket|money free to use:Available`,
  locked: $localize`:ledger bucket|money held for an order or a withdrawal:Held`,
};

/** A ledger line's bucket in words. */
export function bucketText(bucket: string): string {
  return Object.hasOwn(BUCKET_LABELS, bucket) ? BUCKET_LABELS[bucket as LedgerBucket] : bucket;
}
