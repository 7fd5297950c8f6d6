import { WhenPipe } from '../../core/ui/format.pipes';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import type { AdminRoleChangeDto, AdminUserDto, Role } from '../../api/models';
import { ApiError } from '../../core/http/api-error';
import { SessionStore } from '../../core/auth/session.store';
import { AdminUsersStore } from './admin-users.store';
import { breakPoints } from '../../core/ui/break-points';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

/** The roles as the table shows them (API values are `admin` / `user`). */
const ROLE_LABELS: Record<Role, string> = {
  admin: $localize`:User role|The admin role:admin`,
  user: $localize`:User role|The ordinary customer role:user`,
};

@Component({
  selector: 'cv-admin-users-page',
  imports: [Skeleton, CardTable, FormsModule, WhenPipe, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule],
  providers: [AdminUsersStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="roles" aria-labelledby="role-changes-title">
      <h2 i18n id="role-changes-title">Admin role changes waiting for approval</h2>
      <p i18n class="muted">
        Granting or removing the admin role takes two admins: one asks, another approves. Only an account with two-factor
        authentication on can become an admin.
      </p>
      @if (store.pending(); as changes) {
        <ul class="changes">
          @for (c of changes; track c.id) {
            <li data-testid="role-change">
              @if (c.role === 'admin') {
                <span i18n>
                  Make <strong [title]="c.user.id">{{ c.user.name || c.user.email // i18n(ph="name") }}</strong> ({{ c.user.email // i18n(ph="email") }})
                  an admin · asked by <span [title]="c.requestedBy.id">{{ requester(c) // i18n(ph="requester") }}</span>,
                  {{ c.createdAt | when // i18n(ph="time") }}
                </span>
              } @else {
                <span i18n>
                  Remove <strong [title]="c.user.id">{{ c.user.name || c.user.email // i18n(ph="name") }}</strong> ({{ c.user.email // i18n(ph="email") }})
                  from the admins · asked by <span [title]="c.requestedBy.id">{{ requester(c) // i18n(ph="requester") }}</span>,
                  {{ c.createdAt | when // i18n(ph="time") }}
                </span>
              }
              <span class="change-actions">
                @if (c.user.id === me()) {
                  <span i18n class="muted">About your own account: another admin decides</span>
                } @else if (c.requestedBy.id === me()) {
                  <span i18n class="muted">Waiting for another admin</span>
                  <button i18n="Role change|Button: withdraw the role change you asked for yourself" mat-button type="button" [disabled]="busy() === c.id" (click)="decide(c, 'reject')">Withdraw</button>
                } @else {
                  <button i18n mat-flat-button type="button" [disabled]="busy() === c.id" [attr.aria-label]="approveLabel(c)" (click)="decide(c, 'approve')">
                    Approve
                  </button>
                  <button i18n mat-stroked-button type="button" [disabled]="busy() === c.id" [attr.aria-label]="rejectLabel(c)" (click)="decide(c, 'reject')">
                    Reject
                  </button>
                }
              </span>
            </li>
          } @empty {
            <li i18n class="muted">None.</li>
          }
        </ul>
      }
      @if (roleDone(); as m) { <p role="status">{{ m }}</p> }
      @if (roleError(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
      @if (tokenFor(); as t) {
        <form class="token" (ngSubmit)="confirmWithToken(t)">
          @if (t.role === 'admin') {
            <p i18n>
              No other admin can approve this change. To make {{ t.user.email // i18n(ph="email") }} an admin now, enter the server's setup token
              (ADMIN_SETUP_TOKEN).
            </p>
          } @else {
            <p i18n>
              No other admin can approve this change. To remove {{ t.user.email // i18n(ph="email") }} from the admins now, enter the server's setup
              token (ADMIN_SETUP_TOKEN).
            </p>
          }
          <mat-form-field>
            <mat-label i18n>Setup token</mat-label>
            <input matInput type="password" name="setupToken" autocomplete="off" required [(ngModel)]="setupToken" />
          </mat-form-field>
          <div class="change-actions">
            <button i18n mat-flat-button type="submit" [disabled]="busy() === t.user.id">Confirm</button>
            <button i18n mat-button type="button" (click)="tokenFor.set(null)">Cancel</button>
          </div>
        </form>
      }
    </section>

    <form class="search" role="search" (ngSubmit)="find()">
      <mat-form-field class="query">
        <mat-label i18n>Search by email or name</mat-label>
        <input matInput type="search" name="search" [(ngModel)]="search" />
      </mat-form-field>
      <button i18n mat-flat-button type="submit">Search</button>
    </form>
    @if (store.users(); as users) {
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th i18n>Name</th><th i18n>Email</th><th i18n>Role</th><th i18n>Verified</th><th i18n>2FA</th><th i18n>Status</th><th i18n>Last active</th><th i18n>Joined</th>
              <th><span i18n class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            @for (u of users; track u.id) {
              <tr>
                <td>{{ u.name }}</td>
                <td class="email">@for (part of breakPoints(u.email); track $index) {<wbr />{{ part }}}</td>
                <td>{{ roleLabels[u.role] }}</td>
                <td>
                  @if (u.emailVerified) {
                    <ng-container i18n="Email verified: yes">yes</ng-container>
                  } @else {
                    <ng-container i18n="Email verified: no">no</ng-container>
                  }
                </td>
                <td>
                  @if (u.twoFactorEnabled) {
                    <ng-container i18n="Two-factor authentication: on">on</ng-container>
                  } @else {
                    <ng-container i18n="Two-factor authentication: off">off</ng-container>
                  }
                </td>
                <td>
                  @if (u.suspended) {
                    <strong i18n="Account status" class="error-text">Suspended</strong>
                  } @else if (u.lockedUntil) {
                    <ng-container i18n="Account status">Locked until {{ u.lockedUntil | when }}</ng-container>
                  } @else {
                    <ng-container i18n="Account status">Active</ng-container>
                  }
                </td>
                <td class="date">{{ u.lastActiveAt ? (u.lastActiveAt | when) : '—' }}</td>
                <td class="date">{{ u.createdAt | when: 'date' }}</td>
                <td class="actions">
                  <div class="action-list">
                    @if (u.id !== session.user()?.id) {
                      <button mat-stroked-button type="button" [disabled]="busy() === u.id" [attr.aria-label]="suspendLabel(u)" (click)="toggle(u)">
                        @if (u.suspended) {
                          <ng-container i18n>Unsuspend</ng-container>
                        } @else {
                          <ng-container i18n>Suspend</ng-container>
                        }
                      </button>
                      <button
                        mat-button
                        type="button"
                        [disabled]="busy() === u.id"
                        [attr.aria-label]="roleButtonLabel(u)"
                        (click)="askRole(u, u.role === 'admin' ? 'user' : 'admin')"
                      >
                        @if (u.role === 'admin') {
                          <ng-container i18n>Remove admin</ng-container>
                        } @else {
                          <ng-container i18n>Make admin</ng-container>
                        }
                      </button>
                    }
                    <a i18n mat-button routerLink="../audit" [queryParams]="{ userId: u.id }" [attr.aria-label]="auditLabel(u)">Audit log</a>
                    <a i18n mat-button routerLink="../ledger" [queryParams]="{ userId: u.id }" [attr.aria-label]="adjustLabel(u)">Adjust balance</a>
                  </div>
                </td>
              </tr>
            } @empty {
              <tr><td i18n colspan="9" class="muted">No users match.</td></tr>
            }
          </tbody>
        </table>
      </div>
      @if (store.cursor()) {
        <button i18n mat-button type="button" (click)="more()">Load more users</button>
      }
    } @else {
      <cv-skeleton [count]="8" />
    }
  `,
  styles: `
    .roles {
      margin-bottom: 24px;
    }
    .changes {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    .changes li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      overflow-wrap: anywhere;
    }
    .change-actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .token {
      max-width: 560px;
    }
    .search {
      display: flex;
      gap: 8px;
      align-items: baseline;
      flex-wrap: wrap;
    }
    .query {
      min-width: 320px;
    }
    .date {
      white-space: nowrap;
    }
    /*
     * The table fits its box: the actions wrap onto more lines as the column narrows (each label whole), and a long
     * email breaks, rather than the table growing past its scroll box, which cut the last action ("Adjust balar") at
     * 1440 and 1280 px.
     */
    .action-list {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 8px;
    }
    .action-list > * {
      white-space: nowrap;
    }
    /* Where there is room, two actions to a line (four lines made every row tall). */
    @media (min-width: 1360px) {
      .action-list {
        min-width: 16rem;
      }
    }
    .email {
      overflow-wrap: anywhere;
    }
    @media (min-width: 600px) {
      .email {
        min-width: 7rem;
      }
    }
  `,
})
export class AdminUsersPage implements OnInit {
  protected readonly store = inject(AdminUsersStore);
  protected readonly session = inject(SessionStore);
  protected readonly busy = signal<string | null>(null);
  protected search = '';

  /** A role change that needs the setup token (no other admin can approve it), while its form is open. */
  protected readonly tokenFor = signal<{ user: AdminUserDto; role: Role } | null>(null);
  protected readonly roleDone = signal<string | null>(null);
  protected readonly roleError = signal<string | null>(null);
  protected readonly me = computed(() => this.session.user()?.id);
  protected setupToken = '';
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly breakPoints = breakPoints;

  ngOnInit(): void {
    void this.store.load('').catch(() => undefined);
    void this.store.loadPending().catch(() => undefined);
  }

  /** Who asked for a role change: "you" for the signed-in admin. */
  protected requester(c: AdminRoleChangeDto): string {
    return c.requestedBy.id === this.me() ? $localize`:Who asked for a role change (the signed-in admin):you` : c.requestedBy.email;
  }

  protected approveLabel(c: AdminRoleChangeDto): string {
    const email = c.user.email;
    return c.role === 'admin' ? $localize`Approve: make ${email}:email: an admin` : $localize`Approve: remove ${email}:email: from the admins`;
  }

  protected rejectLabel(c: AdminRoleChangeDto): string {
    const email = c.user.email;
    return c.role === 'admin' ? $localize`Reject: make ${email}:email: an admin` : $localize`Reject: remove ${email}:email: from the admins`;
  }

  protected suspendLabel(u: AdminUserDto): string {
    return u.suspended ? $localize`Unsuspend ${u.email}:email:` : $localize`Suspend ${u.email}:email:`;
  }

  protected roleButtonLabel(u: AdminUserDto): string {
    return u.role === 'admin' ? $localize`Remove admin: ${u.email}:email:` : $localize`Make admin: ${u.email}:email:`;
  }

  protected auditLabel(u: AdminUserDto): string {
    return $localize`Audit log of ${u.email}:email:`;
  }

  protected adjustLabel(u: AdminUserDto): string {
    return $localize`Adjust balance of ${u.email}:email:`;
  }

  protected async askRole(user: AdminUserDto, role: Role, setupToken?: string): Promise<void> {
    this.roleDone.set(null);
    this.roleError.set(null);
    this.busy.set(user.id);
    try {
      const change = await this.store.requestRole(user, role, setupToken);
      this.tokenFor.set(null);
      this.setupToken = '';
      const email = change.user.email;
      this.roleDone.set(
        change.status === 'approved'
          ? role === 'admin'
            ? $localize`${user.email}:email: is now an admin.`
            : $localize`${user.email}:email: is no longer an admin.`
          : change.role === 'admin'
            ? $localize`Asked: another admin must approve before ${email}:email: becomes an admin.`
            : $localize`Asked: another admin must approve before ${email}:email: is removed from the admins.`,
      );
    } catch (err) {
      const e = ApiError.from(err);
      if (e.code === 'SETUP_TOKEN_REQUIRED' && !setupToken) this.tokenFor.set({ user, role });
      else this.roleError.set(e.message);
    } finally {
      this.busy.set(null);
    }
  }

  protected confirmWithToken(t: { user: AdminUserDto; role: Role }): void {
    if (!this.setupToken.trim()) {
      this.roleError.set($localize`Enter the setup token`);
      return;
    }
    void this.askRole(t.user, t.role, this.setupToken.trim());
  }

  protected async decide(c: AdminRoleChangeDto, decision: 'approve' | 'reject'): Promise<void> {
    this.roleDone.set(null);
    this.roleError.set(null);
    this.busy.set(c.id);
    try {
      await this.store.decide(c, decision);
      this.roleDone.set(this.decidedText(c, decision === 'approve' ? 'approved' : c.requestedBy.id === this.me() ? 'withdrawn' : 'rejected'));
    } catch (err) {
      this.roleError.set(ApiError.from(err).message);
    } finally {
      this.busy.set(null);
    }
  }

  private decidedText(c: AdminRoleChangeDto, outcome: 'approved' | 'withdrawn' | 'rejected'): string {
    const email = c.user.email;
    if (c.role === 'admin') {
      if (outcome === 'approved') return $localize`Approved: make ${email}:email: an admin.`;
      if (outcome === 'withdrawn') return $localize`Withdrawn: make ${email}:email: an admin.`;
      return $localize`Rejected: make ${email}:email: an admin.`;
    }
    if (outcome === 'approved') return $localize`Approved: remove ${email}:email: from the admins.`;
    if (outcome === 'withdrawn') return $localize`Withdrawn: remove ${email}:email: from the admins.`;
    return $localize`Rejected: remove ${email}:email: from the admins.`;
  }

  protected find(): void {
    void this.store.load(this.search.trim()).catch(() => undefined);
  }

  protected more(): void {
    void this.store.loadMore().catch(() => undefined);
  }

  protected async toggle(u: AdminUserDto): Promise<void> {
    this.busy.set(u.id);
    try {
      await this.store.setSuspended(u.id, !u.suspended);
    } catch {
      /* the error interceptor has shown it */
    } finally {
      this.busy.set(null);
    }
  }
}
