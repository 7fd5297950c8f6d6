import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import type { AdminUserDto } from '../../api/models';
import { SessionStore } from '../../core/auth/session.store';
import { AdminUsersStore } from './admin-users.store';

@Component({
  selector: 'cv-admin-users-page',
  imports: [FormsModule, DatePipe, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule],
  providers: [AdminUsersStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="search" role="search" (ngSubmit)="find()">
      <mat-form-field class="query">
        <mat-label>Search by email or name</mat-label>
        <input matInput type="search" name="search" [(ngModel)]="search" />
      </mat-form-field>
      <button mat-flat-button type="submit">Search</button>
    </form>
    @if (store.users(); as users) {
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr>
              <th>Name</th><th>Email</th><th>Role</th><th>Verified</th><th>2FA</th><th>Status</th><th>Last active</th><th>Joined</th>
              <th><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            @for (u of users; track u.id) {
              <tr>
                <td>{{ u.name }}</td>
                <td>{{ u.email }}</td>
                <td>{{ u.role }}</td>
                <td>{{ u.emailVerified ? 'yes' : 'no' }}</td>
                <td>{{ u.twoFactorEnabled ? 'on' : 'off' }}</td>
                <td>
                  @if (u.suspended) {
                    <strong class="error-text">Suspended</strong>
                  } @else if (u.lockedUntil) {
                    Locked until {{ u.lockedUntil | date: 'short' }}
                  } @else {
                    Active
                  }
                </td>
                <td class="date">{{ u.lastActiveAt ? (u.lastActiveAt | date: 'short') : '—' }}</td>
                <td class="date">{{ u.createdAt | date: 'mediumDate' }}</td>
                <td class="actions">
                  @if (u.id !== session.user()?.id) {
                    <button mat-stroked-button type="button" [disabled]="busy() === u.id" [attr.aria-label]="(u.suspended ? 'Unsuspend ' : 'Suspend ') + u.email" (click)="toggle(u)">
                      {{ u.suspended ? 'Unsuspend' : 'Suspend' }}
                    </button>
                  }
                  <a mat-button routerLink="../audit" [queryParams]="{ userId: u.id }" [attr.aria-label]="'Audit log of ' + u.email">Audit log</a>
                  <a mat-button routerLink="../ledger" [queryParams]="{ userId: u.id }" [attr.aria-label]="'Adjust balance of ' + u.email">Adjust balance</a>
                </td>
              </tr>
            } @empty {
              <tr><td colspan="9" class="muted">No users match.</td></tr>
            }
          </tbody>
        </table>
      </div>
      @if (store.cursor()) {
        <button mat-button type="button" (click)="more()">Load more users</button>
      }
    } @else {
      <p class="muted">Loading…</p>
    }
  `,
  styles: `
    .search {
      display: flex;
      gap: 8px;
      align-items: baseline;
      flex-wrap: wrap;
    }
    .query {
      min-width: 320px;
    }
    .actions,
    .date {
      white-space: nowrap;
    }
  `,
})
export class AdminUsersPage implements OnInit {
  protected readonly store = inject(AdminUsersStore);
  protected readonly session = inject(SessionStore);
  protected readonly busy = signal<string | null>(null);
  protected search = '';

  ngOnInit(): void {
    void this.store.load('').catch(() => undefined);
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
