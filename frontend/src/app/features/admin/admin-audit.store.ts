import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { listAuditLogs, type ListAuditLogs$Params } from '../../api/fn/admin/list-audit-logs';
import type { AuditLogDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';

export type AuditFilters = Pick<ListAuditLogs$Params, 'userId' | 'action' | 'from' | 'to'>;
const PAGE = 50;

@Injectable()
export class AdminAuditStore {
  private readonly api = inject(Api);
  readonly entries = signal<AuditLogDto[] | null>(null);
  readonly cursor = signal<string | null>(null);
  private filters: AuditFilters = {};

  /** Empty filters are left out of the query. Rejects with an ApiError (bad filter values). */
  async load(filters: AuditFilters = this.filters): Promise<void> {
    const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as AuditFilters;
    const page = await this.api.invoke(listAuditLogs, { limit: PAGE, ...clean }, silentErrors());
    this.filters = clean;
    this.entries.set(page.items);
    this.cursor.set(page.nextCursor);
  }

  async loadMore(): Promise<void> {
    const cursor = this.cursor();
    if (!cursor) return;
    const page = await this.api.invoke(listAuditLogs, { limit: PAGE, cursor, ...this.filters });
    this.entries.update((list) => [...(list ?? []), ...page.items]);
    this.cursor.set(page.nextCursor);
  }
}
