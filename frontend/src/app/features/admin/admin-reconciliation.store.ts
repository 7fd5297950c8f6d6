import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { listReconciliations } from '../../api/fn/admin/list-reconciliations';
import { runReconciliation } from '../../api/fn/admin/run-reconciliation';
import type { ReconciliationDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';

const PAGE = 10;

/**
 * The external reconciliation: the stored runs, newest first (the schedule's and the admins'), and running one now.
 * A run the API answers is put first; a refusal rejects with an ApiError the page shows.
 */
@Injectable()
export class AdminReconciliationStore {
  private readonly api = inject(Api);
  readonly runs = signal<ReconciliationDto[] | null>(null);
  readonly cursor = signal<string | null>(null);

  async load(): Promise<void> {
    const page = await this.api.invoke(listReconciliations, { limit: PAGE });
    this.runs.set(page.items);
    this.cursor.set(page.nextCursor);
  }

  async loadMore(): Promise<void> {
    const cursor = this.cursor();
    if (!cursor) return;
    const page = await this.api.invoke(listReconciliations, { limit: PAGE, cursor });
    this.runs.update((list) => [...(list ?? []), ...page.items.filter((r) => !list?.some((x) => x.id === r.id))]);
    this.cursor.set(page.nextCursor);
  }

  async run(): Promise<ReconciliationDto> {
    const { reconciliation } = await this.api.invoke(runReconciliation, {}, silentErrors());
    this.runs.update((list) => [reconciliation, ...(list ?? [])]);
    return reconciliation;
  }
}
