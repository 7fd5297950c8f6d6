import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { approveRoleChange } from '../../api/fn/admin/approve-role-change';
import { listRoleChanges } from '../../api/fn/admin/list-role-changes';
import { listUsersForAdmin } from '../../api/fn/admin/list-users-for-admin';
import { rejectRoleChange } from '../../api/fn/admin/reject-role-change';
import { requestRoleChange } from '../../api/fn/admin/request-role-change';
import { updateUserByAdmin } from '../../api/fn/admin/update-user-by-admin';
import type { AdminRoleChangeDto, AdminUserDto, Role } from '../../api/models';
import { CursorPages } from '../../core/data/cursor-pages';
import { silentErrors } from '../../core/http/http-context';

const PAGE = 25;

@Injectable()
export class AdminUsersStore {
  private readonly api = inject(Api);
  private readonly pages = new CursorPages<AdminUserDto, string>((cursor, search) =>
    this.api.invoke(listUsersForAdmin, { limit: PAGE, ...(cursor ? { cursor } : {}), ...(search ? { search } : {}) }),
  );
  /** The users matching the search asked for last (an earlier search answering late is dropped); null until read. */
  readonly users = this.pages.list;
  readonly cursor = this.pages.nextCursor;
  /** Role changes waiting for a second admin. */
  readonly pending = signal<AdminRoleChangeDto[] | null>(null);

  /** The users whose email or name match `search` ('' for all). */
  load(search: string): Promise<void> {
    return this.pages.reload(search);
  }

  loadMore(): Promise<void> {
    return this.pages.more();
  }

  async loadPending(): Promise<void> {
    const page = await this.api.invoke(listRoleChanges, { status: 'pending', limit: 100 });
    this.pending.set(page.items);
  }

  /** Suspending ends every session of that user at once. */
  async setSuspended(id: string, suspended: boolean): Promise<void> {
    const user = await this.api.invoke(updateUserByAdmin, { id, body: { suspended } });
    this.pages.patch((list) => list.map((u) => (u.id === id ? user : u)));
  }

  /**
   * Asks to give `user` `role` (the step-up dialog comes first). Pending until a second admin approves it, or made at
   * once with the server's setup token where no other admin can approve. Rejects with an ApiError (silent: the page
   * shows it), e.g. SETUP_TOKEN_REQUIRED.
   */
  async requestRole(user: AdminUserDto, role: Role, setupToken?: string): Promise<AdminRoleChangeDto> {
    const { change } = await this.api.invoke(
      requestRoleChange,
      { id: user.id, body: { role }, ...(setupToken ? { 'X-Setup-Token': setupToken } : {}) },
      silentErrors(),
    );
    if (change.status === 'approved') this.setRole(change.user.id, change.role);
    else this.pending.update((list) => [change, ...(list ?? [])]);
    return change;
  }

  async decide(change: AdminRoleChangeDto, decision: 'approve' | 'reject'): Promise<AdminRoleChangeDto> {
    const fn = decision === 'approve' ? approveRoleChange : rejectRoleChange;
    const res = await this.api.invoke(fn, { id: change.id }, silentErrors());
    this.pending.update((list) => list?.filter((c) => c.id !== change.id) ?? null);
    if (res.change.status === 'approved') this.setRole(res.change.user.id, res.change.role);
    return res.change;
  }

  private setRole(id: string, role: Role): void {
    this.pages.patch((list) => list.map((u) => (u.id === id ? { ...u, role } : u)));
  }
}
