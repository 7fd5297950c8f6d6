import { formatAmount, formatPrice } from '../../common/money/amount-format';
import { dec, toFixedString } from '../../common/money/decimal';
import type { BlockExplorers } from './block-explorers';
import type { AdminWithdrawalDto, WithdrawalCashOutDto, WithdrawalDto } from './dto/withdrawal.dto';
import type { WithdrawalPayoutDto } from './payouts/dto/payout.dto';
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
  /** A USD cash-out (API.md "USD cash-out"): `USD` and the dollars behind it; null for every other withdrawal. */
  source_asset?: string | null;
  source_amount?: string | null;
  source_fee?: string | null;
  source_price?: string | null;
  cash_out_quote_id?: string | null;
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
    cashOut: toCashOutDto(r),
  };
}

/** The dollars behind a cash-out withdrawal, as its owner reads them; null for any other withdrawal. */
function toCashOutDto(r: WithdrawalRow): WithdrawalCashOutDto | null {
  if (r.source_asset !== 'USD' || !r.source_amount || !r.source_fee || !r.source_price) return null;
  return {
    usdAmount: toFixedString(dec(r.source_amount), 2),
    conversionFee: formatAmount(r.source_fee, 'USD'),
    price: formatPrice(r.source_price),
    quoteId: r.cash_out_quote_id ?? null,
  };
}

/** The row as the back office sees it, with its automatic payout when it has one (`payout`, from payouts/payout.mapper.ts). */
export function toAdminWithdrawalDto(r: WithdrawalRow, explorers: BlockExplorers, payout: WithdrawalPayoutDto | null = null): AdminWithdrawalDto {
  return { ...toWithdrawalDto(r, explorers), userId: r.user_id, userEmail: r.user_email ?? '', payout };
}
