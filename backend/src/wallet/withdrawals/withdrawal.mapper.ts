import { dec, toFixedString } from '../../common/money/decimal';
import type { BlockExplorers } from './block-explorers';
import type { AdminWithdrawalDto, WithdrawalDto } from './dto/withdrawal.dto';
import type { WithdrawalStatus } from './withdrawal-state';

/** A `withdrawals` row with its approval count (and, for admins, the user's email). */
export interface WithdrawalRow {
  id: string;
  user_id: string;
  asset: string;
  network: string;
  address: string;
  address_id: string | null;
  address_label: string | null;
  amount: string;
  fee: string;
  usd_value: string;
  status: WithdrawalStatus;
  required_approvals: number;
  approvals?: number | string;
  tx_hash: string | null;
  reject_reason: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  completed_at: Date | string | null;
  user_email?: string;
}

const iso = (d: Date | string): string => new Date(d).toISOString();

/** The row as its owner sees it; `explorers` turn a payout's hash into its block explorer link (when it is a hash of that chain). */
export function toWithdrawalDto(r: WithdrawalRow, explorers: BlockExplorers): WithdrawalDto {
  const amount = dec(r.amount);
  const fee = dec(r.fee);
  return {
    id: r.id,
    asset: r.asset,
    network: r.network,
    address: r.address,
    addressId: r.address_id ?? null,
    addressLabel: r.address_label ?? null,
    amount: toFixedString(amount, 8),
    fee: toFixedString(fee, 8),
    total: toFixedString(amount.add(fee), 8),
    usdValue: toFixedString(dec(r.usd_value), 2),
    status: r.status,
    approvals: Number(r.approvals ?? 0),
    requiredApprovals: Number(r.required_approvals),
    txHash: r.tx_hash,
    explorerUrl: r.status === 'completed' ? explorers.txUrl(r.network, r.tx_hash) : null,
    rejectReason: r.reject_reason,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    completedAt: r.completed_at ? iso(r.completed_at) : null,
  };
}

export function toAdminWithdrawalDto(r: WithdrawalRow, explorers: BlockExplorers): AdminWithdrawalDto {
  return { ...toWithdrawalDto(r, explorers), userId: r.user_id, userEmail: r.user_email ?? '' };
}
