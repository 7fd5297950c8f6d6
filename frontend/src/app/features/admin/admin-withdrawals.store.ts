import { Injectable, inject } from '@angular/core';
import { Api } from '../../api/api';
import { approveWithdrawal } from '../../api/fn/admin/approve-withdrawal';
import { completeWithdrawal } from '../../api/fn/admin/complete-withdrawal';
import { listAdminWithdrawals } from '../../api/fn/admin/list-admin-withdrawals';
import { rejectWithdrawal } from '../../api/fn/admin/reject-withdrawal';
import { resolveWithdrawalPayout } from '../../api/fn/admin/resolve-withdrawal-payout';
import type { AdminWithdrawalDto, WithdrawalStatus } from '../../api/models';
import { CursorPages } from '../../core/data/cursor-pages';
import { silentErrors } from '../../core/http/http-context';

const PAGE = 25;

/**
 * Withdrawal review. Reviewed rows stay in the list with their new state (an
 * approved one can be completed right away); actions reject with an ApiError
 * the page shows beside the row.
 */
@Injectable()
export class AdminWithdrawalsStore {
  private readonly api = inject(Api);
  private readonly pages = new CursorPages<AdminWithdrawalDto, WithdrawalStatus | null>(
    (cursor, status) => this.api.invoke(listAdminWithdrawals, { limit: PAGE, ...(cursor ? { cursor } : {}), ...(status ? { status } : {}) }),
    (w) => w.id,
  );
  /** The withdrawals of the status chosen last (an earlier choice answering late is dropped); null until read. */
  readonly withdrawals = this.pages.list;
  readonly cursor = this.pages.nextCursor;

  /** The withdrawals in `status`, or of every status (null). */
  load(status: WithdrawalStatus | null): Promise<void> {
    return this.pages.reload(status);
  }

  loadMore(): Promise<void> {
    return this.pages.more();
  }

  /** Above the dual-approval threshold the first approval leaves it pending (approvals < requiredApprovals). */
  approve(id: string): Promise<AdminWithdrawalDto> {
    return this.replace(this.api.invoke(approveWithdrawal, { id }, silentErrors()));
  }

  reject(id: string, reason: string): Promise<AdminWithdrawalDto> {
    return this.replace(this.api.invoke(rejectWithdrawal, { id, body: { reason } }, silentErrors()));
  }

  complete(id: string, txHash: string): Promise<AdminWithdrawalDto> {
    return this.replace(this.api.invoke(completeWithdrawal, { id, body: { txHash } }, silentErrors()));
  }

  /** Checks a live payout with the payment provider and applies its answer (the row shows the result). */
  resolvePayout(id: string): Promise<AdminWithdrawalDto> {
    return this.replace(this.api.invoke(resolveWithdrawalPayout, { id }, silentErrors()));
  }

  private async replace(call: Promise<{ withdrawal: AdminWithdrawalDto }>): Promise<AdminWithdrawalDto> {
    const { withdrawal } = await call;
    this.pages.patch((list) => list.map((w) => (w.id === withdrawal.id ? withdrawal : w)));
    return withdrawal;
  }
}
