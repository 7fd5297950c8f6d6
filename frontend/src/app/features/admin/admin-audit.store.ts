import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { listAuditLogs, type ListAuditLogs$Params } from '../../api/fn/admin/list-audit-logs';
import type { AuditLogDto } from '../../api/models';
import { CursorPages } from '../../core/data/cursor-pages';
import { silentErrors } from '../../core/http/http-context';

export type AuditFilters = Pick<ListAuditLogs$Params, 'userId' | 'action' | 'from' | 'to'>;
const PAGE = 50;

@Injectable()
export class AdminAuditStore {
  private readonly api = inject(Api);
  private filters: AuditFilters = {};
  private readonly pages = new CursorPages<AuditLogDto>((cursor) =>
    // The first page's errors are the filter form's to show; a failed "Load more" gets the snackbar.
    this.api.invoke(listAuditLogs, { limit: PAGE, ...this.filters, ...(cursor ? { cursor } : {}) }, cursor ? undefined : silentErrors()),
  );
  readonly entries = this.pages.list;
  readonly cursor = this.pages.nextCursor;

  /**
   * Empty filters are left out of the query; only the filters asked for last are shown. Rejects with an ApiError (bad
   * filter values), and then "Load more" keeps the filters of the list on screen.
   */
  async load(filters: AuditFilters = this.filters): Promise<void> {
    const before = this.filters;
    const asked = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as AuditFilters;
    this.filters = asked;
    try {
      await this.pages.reload();
    } catch (e) {
      if (this.filters === asked) this.filters = before;
      throw e;
    }
  }

  loadMore(): Promise<void> {
    return this.pages.more();
  }
}
