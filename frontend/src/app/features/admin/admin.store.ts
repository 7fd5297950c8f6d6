import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { createLedgerAdjustment } from '../../api/fn/admin/create-ledger-adjustment';
import { getAdminStats } from '../../api/fn/admin/get-admin-stats';
import type { AdminStatsDto, LedgerAdjustmentDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';

/** The admin overview figures and ledger adjustments. */
@Injectable()
export class AdminStore {
  private readonly api = inject(Api);
  readonly stats = signal<AdminStatsDto | null>(null);

  async loadStats(): Promise<void> {
    this.stats.set(await this.api.invoke(getAdminStats, {}));
  }

  /** Rejects with an ApiError (field messages for the form); answers the journal id. */
  async adjustLedger(body: LedgerAdjustmentDto): Promise<string> {
    const res = await this.api.invoke(createLedgerAdjustment, { body }, silentErrors());
    return res.journalId;
  }
}
