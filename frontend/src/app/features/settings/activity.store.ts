import { Injectable, inject } from '@angular/core';
import { Api } from '../../api/api';
import { listSecurityActivity } from '../../api/fn/auth/list-security-activity';
import type { SecurityEventDto } from '../../api/models';
import { CursorPages } from '../../core/data/cursor-pages';

/** The account's activity (sign-ins and security events), newest first, a page at a time. */
@Injectable()
export class ActivityStore {
  private readonly api = inject(Api);
  private readonly pages = new CursorPages<SecurityEventDto>((cursor) =>
    this.api.invoke(listSecurityActivity, { limit: 20, ...(cursor ? { cursor } : {}) }),
  );
  /** Null until the first page came. */
  readonly items = this.pages.list;
  readonly nextCursor = this.pages.nextCursor;
  readonly loading = this.pages.loading;

  load(): Promise<void> {
    return this.pages.reload();
  }

  loadMore(): Promise<void> {
    return this.pages.more();
  }
}
