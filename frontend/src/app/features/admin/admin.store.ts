import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { approveLedgerAdjustment } from '../../api/fn/admin/approve-ledger-adjustment';
import { createLedgerAdjustment } from '../../api/fn/admin/create-ledger-adjustment';
import { getAdminStats } from '../../api/fn/admin/get-admin-stats';
import { listLedgerAdjustments } from '../../api/fn/admin/list-ledger-adjustments';
import { rejectLedgerAdjustment } from '../../api/fn/admin/reject-ledger-adjustment';
import type { AdminLedgerAdjustmentDto, AdminStatsDto, LedgerAdjustmentDto, LedgerAdjustmentResponseDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';

/** The admin overview figures and ledger adjustments (posted at once, or held for a second admin). */
@Injectable()
export class AdminStore {
  private readonly api = inject(Api);
  readonly stats = signal<AdminStatsDto | null>(null);
  /** Adjustments waiting for a second admin, newest first; decided ones stay with their new state. */
  readonly pending = signal<AdminLedgerAdjustmentDto[] | null>(null);

  async loadStats(): Promise<void> {
    this.stats.set(await this.api.invoke(getAdminStats, {}));
  }

  /** Rejects with an ApiError (field messages for the form); a held adjustment (202) joins the pending list. */
  async adjustLedger(body: LedgerAdjustmentDto): Promise<LedgerAdjustmentResponseDto> {
    const res = await this.api.invoke(createLedgerAdjustment, { body }, silentErrors());
    if (res.adjustment.status === 'pending') this.pending.update((list) => [res.adjustment, ...(list ?? [])]);
    return res;
  }

  async loadPending(): Promise<void> {
    const page = await this.api.invoke(listLedgerAdjustments, { status: 'pending', limit: 50 });
    this.pending.set(page.items);
  }

  /** Only a different admin than the requester may approve (403 otherwise); posted once (409 when already decided). */
  approve(id: string): Promise<AdminLedgerAdjustmentDto> {
    return this.replace(this.api.invoke(approveLedgerAdjustment, { id }, silentErrors()));
  }

  reject(id: string, reason: string): Promise<AdminLedgerAdjustmentDto> {
    return this.replace(this.api.invoke(rejectLedgerAdjustment, { id, body: { reason } }, silentErrors()));
  }

  private async replace(call: Promise<LedgerAdjustmentResponseDto>): Promise<AdminLedgerAdjustmentDto> {
    const { adjustment } = await call;
    this.pending.update((list) => list?.map((a) => (a.id === adjustment.id ? adjustment : a)) ?? null);
    return adjustment;
  }
}
