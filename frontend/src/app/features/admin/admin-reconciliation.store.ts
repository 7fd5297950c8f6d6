import { Injectable, inject } from '@angular/core';
import { Api } from '../../api/api';
import { listReconciliations } from '../../api/fn/admin/list-reconciliations';
import { runReconciliation } from '../../api/fn/admin/run-reconciliation';
import type { ReconciliationDto } from '../../api/models';
import { CursorPages } from '../../core/data/cursor-pages';
import { silentErrors } from '../../core/http/http-context';

const PAGE = 10;

/**
 * The external reconciliation: the stored runs, newest first (the schedule's and the admins'), and running one now.
 * A run the API answers is put first; a refusal rejects with an ApiError the page shows.
 */
@Injectable()
export class AdminReconciliationStore {
  private readonly api = inject(Api);
  private readonly pages = new CursorPages<ReconciliationDto>(
    (cursor) => this.api.invoke(listReconciliations, { limit: PAGE, ...(cursor ? { cursor } : {}) }),
    (r) => r.id,
  );
  readonly runs = this.pages.list;
  readonly cursor = this.pages.nextCursor;

  load(): Promise<void> {
    return this.pages.reload();
  }

  loadMore(): Promise<void> {
    return this.pages.more();
  }

  async run(): Promise<ReconciliationDto> {
    const { reconciliation } = await this.api.invoke(runReconciliation, {}, silentErrors());
    this.pages.patch((list) => [reconciliation, ...list.filter((r) => r.id !== reconciliation.id)]);
    return reconciliation;
  }
}
