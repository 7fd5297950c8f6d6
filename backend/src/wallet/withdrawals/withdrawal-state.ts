import { Dec, dec } from '../../common/money/decimal';

export const WITHDRAWAL_STATUSES = ['pending', 'approved', 'completed', 'rejected', 'cancelled'] as const;
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];

export type WithdrawalAction = 'approve' | 'complete' | 'reject' | 'cancel';

/**
 * The only transitions (API.md): pending → approved → completed;
 * pending|approved → rejected; pending → cancelled (by the user).
 * `approve` keeps a withdrawal pending until it has enough approvals.
 */
const FROM: Record<WithdrawalAction, readonly WithdrawalStatus[]> = {
  approve: ['pending'],
  complete: ['approved'],
  reject: ['pending', 'approved'],
  cancel: ['pending'],
};

export function canTransition(status: WithdrawalStatus, action: WithdrawalAction): boolean {
  return FROM[action].includes(status);
}

/** Statuses that count towards the 24-hour limit: everything not given back. */
export const LIMIT_STATUSES: readonly WithdrawalStatus[] = ['pending', 'approved', 'completed'];

/**
 * Two different admins must approve at or above the threshold (USD).
 * `usdValue` is the user's 24-hour sum (LIMIT_STATUSES) including this
 * withdrawal, so an amount split into parts under the line still needs two.
 */
export function requiredApprovals(usdValue: Dec, dualApprovalUsd: string): 1 | 2 {
  return usdValue.gte(dec(dualApprovalUsd)) ? 2 : 1;
}

/**
 * Whether a new withdrawal fits the rolling 24-hour USD limit, given what the
 * user already withdrew (or has in flight) in that window.
 */
export function withinDailyLimit(alreadyUsd: Dec, requestUsd: Dec, limitUsd: string): boolean {
  return alreadyUsd.add(requestUsd).lte(dec(limitUsd));
}

/** What the user's balance must cover: the amount plus the network fee, both in the asset. */
export function totalDebit(amount: Dec, fee: Dec): Dec {
  return amount.add(fee);
}
