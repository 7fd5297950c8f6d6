import { DisplayFormat, TimeComponent } from '../ui/format.pipes';
import { ChangeDetectionStrategy, Component, ViewEncapsulation, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDividerModule } from '@angular/material/divider';
import { MatMenuModule } from '@angular/material/menu';
import { Router } from '@angular/router';
import type { NotificationDto } from '../../api/models';
import { BellIcon } from './bell-icon';
import { notificationText } from './notification-text';
import { NotificationsStore } from './notifications.store';
import { eventLink } from './user-events.store';

/** Toolbar bell: unread count, and a menu of the latest notifications (mark one or all read). */
@Component({
  selector: 'cv-notification-bell',
  imports: [TimeComponent, MatButtonModule, MatMenuModule, MatDividerModule, BellIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // The menu panel renders in an overlay; its classes are prefixed instead of encapsulated.
  encapsulation: ViewEncapsulation.None,
  styles: `
    .cv-bell {
      position: relative;
    }
    .cv-bell-count {
      position: absolute;
      top: 2px;
      right: 0;
      min-width: 18px;
      height: 18px;
      padding: 0 4px;
      box-sizing: border-box;
      border-radius: 9px;
      background: var(--mat-sys-error);
      color: var(--mat-sys-on-error);
      font: var(--mat-sys-label-small);
      line-height: 18px;
      text-align: center;
    }
    .cv-notif-panel.mat-mdc-menu-panel {
      max-width: min(380px, 92vw);
      width: 380px;
    }
    .cv-notif-head {
      padding: 8px 16px;
      font: var(--mat-sys-title-small);
    }
    .cv-notif-item.mat-mdc-menu-item {
      height: auto;
      min-height: 48px;
      padding-top: 8px;
      padding-bottom: 8px;
      white-space: normal;
      align-items: flex-start;
    }
    .cv-notif-item .mat-mdc-menu-item-text {
      min-width: 0;
      overflow-wrap: anywhere;
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    .cv-notif-item.unread .cv-notif-title {
      font-weight: 600;
    }
    .cv-notif-item.unread .cv-notif-title::before {
      content: '● ';
      color: var(--mat-sys-primary);
    }
    .cv-notif-body,
    .cv-notif-time {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface-variant);
    }
    .cv-notif-empty {
      padding: 12px 16px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  template: `
    <button
      mat-icon-button
      type="button"
      class="cv-bell"
      [matMenuTriggerFor]="menu"
      [attr.aria-label]="label()"
      data-testid="notifications-bell"
      (menuOpened)="opened()"
    >
      <cv-bell-icon />
      @if (store.unreadCount() > 0) {
        <span class="cv-bell-count" aria-hidden="true">{{ store.unreadCount() > 99 ? '99+' : store.unreadCount() }}</span>
      }
    </button>
    <mat-menu #menu="matMenu" class="cv-notif-panel" xPosition="before">
      <div i18n class="cv-notif-head">Notifications</div>
      @if (store.unreadCount() > 0) {
        <button i18n mat-menu-item type="button" (click)="markAllRead()">Mark all read</button>
      }
      <mat-divider />
      @for (item of items(); track item.n.id) {
        @let n = item.n;
        <button mat-menu-item type="button" class="cv-notif-item" [class.unread]="!n.read" (click)="open(n)">
          <span class="cv-notif-title">{{ item.title }}@if (!n.read) {<span i18n class="cdk-visually-hidden"> (unread)</span>}</span>
          <span class="cv-notif-body">{{ item.body }}</span>
          <cv-time class="cv-notif-time" [at]="n.createdAt" />
        </button>
      } @empty {
        <p i18n class="cv-notif-empty">No notifications yet.</p>
      }
      @if (store.nextCursor()) {
        <button i18n mat-menu-item type="button" (click)="$event.stopPropagation(); more()">Show older</button>
      }
    </mat-menu>
  `,
})
export class NotificationBell {
  protected readonly store = inject(NotificationsStore);
  private readonly router = inject(Router);
  private readonly format = inject(DisplayFormat);

  /** Each notification with its title and body in the reader's language (see notification-text). */
  protected readonly items = computed(() => this.store.items().map((n) => ({ n, ...notificationText(n, this.format) })));

  protected readonly label = computed(() => {
    const n = this.store.unreadCount();
    return n === 0 ? $localize`Notifications` : $localize`Notifications, ${n}:count: unread`;
  });

  protected opened(): void {
    // The socket keeps the list current; load once if it has never been fetched.
    if (this.store.items().length === 0) void this.store.load().catch(() => undefined);
  }

  protected async open(n: NotificationDto): Promise<void> {
    await this.store.markRead(n.id).catch(() => undefined);
    const link = eventLink(n.type);
    if (link) await this.router.navigateByUrl(link);
  }

  protected markAllRead(): void {
    void this.store.markAllRead().catch(() => undefined);
  }

  protected more(): void {
    void this.store.loadMore().catch(() => undefined);
  }
}
