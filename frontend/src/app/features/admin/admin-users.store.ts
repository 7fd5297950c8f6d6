import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { listUsersForAdmin } from '../../api/fn/admin/list-users-for-admin';
import { updateUserByAdmin } from '../../api/fn/admin/update-user-by-admin';
import type { AdminUserDto } from '../../api/models';

const PAGE = 25;

@Injectable()
export class AdminUsersStore {
  private readonly api = inject(Api);
  readonly users = signal<AdminUserDto[] | null>(null);
  readonly cursor = signal<string | null>(null);
  private search = '';

  async load(search = this.search): Promise<void> {
    this.search = search;
    const page = await this.api.invoke(listUsersForAdmin, { limit: PAGE, ...(search ? { search } : {}) });
    this.users.set(page.items);
    this.cursor.set(page.nextCursor);
  }

  async loadMore(): Promise<void> {
    const cursor = this.cursor();
    if (!cursor) return;
    const page = await this.api.invoke(listUsersForAdmin, { limit: PAGE, cursor, ...(this.search ? { search: this.search } : {}) });
    this.users.update((list) => [...(list ?? []), ...page.items]);
    this.cursor.set(page.nextCursor);
  }

  /** Suspending ends every session of that user at once. */
  async setSuspended(id: string, suspended: boolean): Promise<void> {
    const user = await this.api.invoke(updateUserByAdmin, { id, body: { suspended } });
    this.users.update((list) => list?.map((u) => (u.id === id ? user : u)) ?? null);
  }
}
