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
  private readonly pages = new CursorPages<AuditLogDto, AuditFilters>((cursor, filters) =>
    // The first page's errors are the filter form's to show; a failed "Load more" gets the snackbar.
    this.api.invoke(listAuditLogs, { limit: PAGE, ...filters, ...(cursor ? { cursor } : {}) }, cursor ? undefined : silentErrors()),
  );
  readonly entries = this.pages.list;
  readonly cursor = this.pages.nextCursor;

  /**
   * The entries matching `filters` (empty ones are left out of the query); only the filters asked for last are shown.
   * Rejects with an ApiError (bad filter values), and then the list on screen and its "Load more" stay as they were.
   */
  load(filters: AuditFilters = {}): Promise<void> {
    return this.pages.reload(Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as AuditFilters);
  }

  loadMore(): Promise<void> {
    return this.pages.more();
  }
}
