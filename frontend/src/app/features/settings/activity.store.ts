import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { listSecurityActivity } from '../../api/fn/auth/list-security-activity';
import type { SecurityEventDto } from '../../api/models';

/** The account's activity (sign-ins and security events), newest first, a page at a time. */
@Injectable()
export class ActivityStore {
  private readonly api = inject(Api);
  readonly items = signal<SecurityEventDto[] | null>(null);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);

  async load(): Promise<void> {
    await this.fetch(undefined);
  }

  async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (cursor) await this.fetch(cursor);
  }

  private async fetch(cursor: string | undefined): Promise<void> {
    this.loading.set(true);
    try {
      const page = await this.api.invoke(listSecurityActivity, { limit: 20, ...(cursor ? { cursor } : {}) });
      this.items.update((list) => (cursor ? [...(list ?? []), ...page.items] : page.items));
      this.nextCursor.set(page.nextCursor);
    } finally {
      this.loading.set(false);
    }
  }
}
