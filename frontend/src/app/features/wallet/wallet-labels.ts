import type { DepositStatus, WithdrawalStatus } from '../../api/models';

const WITHDRAWAL_STATUS: Record<WithdrawalStatus, string> = {
  pending: $localize`:withdrawal status|status of a withdrawal:pending`,
  approved: $localize`:withdrawal status|status of a withdrawal:approved`,
  completed: $localize`:withdrawal status|status of a withdrawal:completed`,
  rejected: $localize`:withdrawal status|status of a withdrawal:rejected`,
  cancelled: $localize`:withdrawal status|status of a withdrawal:cancelled`,
};

/** A withdrawal's status in words (the API value when it is one this client does not know). */
export function withdrawalStatusText(status: WithdrawalStatus): string {
  return WITHDRAWAL_STATUS[status] ?? status;
}

const DEPOSIT_STATUS: Record<DepositStatus, string> = {
  waiting: $localize`:deposit status|status of a deposit:waiting`,
  confirming: $localize`:deposit status|status of a deposit:confirming`,
  confirmed: $localize`:deposit status|status of a deposit:confirmed`,
  sending: $localize`:deposit status|status of a deposit:sending`,
  partially_paid: $localize`:deposit status|status of a deposit:partially paid`,
  finished: $localize`:deposit status|status of a deposit:finished`,
  failed: $localize`:deposit status|status of a deposit:failed`,
  refunded: $localize`:deposit status|status of a deposit:refunded`,
  expired: $localize`:deposit status|status of a deposit:expired`,
};

/** A deposit's status in words (the API value when it is one this client does not know). */
export function depositStatusText(status: DepositStatus): string {
  return DEPOSIT_STATUS[status] ?? status;
}
