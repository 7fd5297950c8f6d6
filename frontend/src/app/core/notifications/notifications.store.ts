import { Injectable, inject, signal } from '@angular/core';
import { Api } from '../../api/api';
import { listNotifications } from '../../api/fn/notifications/list-notifications';
import { markAllNotificationsRead } from '../../api/fn/notifications/mark-all-notifications-read';
import { markNotificationRead } from '../../api/fn/notifications/mark-notification-read';
import type { NotificationDto } from '../../api/models';
import { silentErrors } from '../http/http-context';

const PAGE = 20;

/** The signed-in user's in-app notifications and unread count (the toolbar bell). */
@Injectable({ providedIn: 'root' })
export class NotificationsStore {
  private readonly api = inject(Api);
  readonly items = signal<NotificationDto[]>([]);
  readonly unreadCount = signal(0);
  readonly nextCursor = signal<string | null>(null);
  readonly loading = signal(false);

  /**
   * Bumped by every read of the first page and by sign-out: a list or "show more" answering after either belongs to
   * an older state (another user's, or rows the new list already has) and is dropped.
   */
  private generation = 0;
  /** Bumped by sign-out only: what a mark-as-read answers then is not applied to the next user's list. */
  private signedOut = 0;

  async load(): Promise<void> {
    const generation = ++this.generation;
    this.loading.set(true);
    try {
      const res = await this.api.invoke(listNotifications, { limit: PAGE }, silentErrors());
      if (generation !== this.generation) return;
      this.items.set(res.items);
      this.nextCursor.set(res.nextCursor);
      this.unreadCount.set(res.unreadCount);
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  /** The next page of the list on screen; nothing while the list is being read again (its cursor is the old list's). */
  async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor || this.loading()) return;
    const generation = this.generation;
    const res = await this.api.invoke(listNotifications, { limit: PAGE, cursor });
    if (generation !== this.generation) return;
    const known = new Set(this.items().map((n) => n.id));
    this.items.update((items) => [...items, ...res.items.filter((n) => !known.has(n.id))]);
    this.nextCursor.set(res.nextCursor);
    this.unreadCount.set(res.unreadCount);
  }

  /** A notification pushed by /ws/user: first in the list, counted while unread. */
  received(n: NotificationDto): void {
    if (this.items().some((i) => i.id === n.id)) return;
    this.items.update((items) => [n, ...items]);
    if (!n.read) this.unreadCount.update((c) => c + 1);
  }

  async markRead(id: string): Promise<void> {
    const current = this.items().find((n) => n.id === id);
    if (!current || current.read) return;
    const signedOut = this.signedOut;
    const updated = await this.api.invoke(markNotificationRead, { id });
    if (signedOut !== this.signedOut) return;
    this.items.update((items) => items.map((n) => (n.id === id ? updated : n)));
    this.unreadCount.update((c) => Math.max(0, c - 1));
  }

  async markAllRead(): Promise<void> {
    const signedOut = this.signedOut;
    await this.api.invoke(markAllNotificationsRead, {});
    // After sign-out the answer says nothing of the list on screen (the next user's).
    if (signedOut !== this.signedOut) return;
    const now = new Date().toISOString();
    this.items.update((items) => items.map((n) => (n.read ? n : { ...n, read: true, readAt: now })));
    this.unreadCount.set(0);
  }

  clear(): void {
    this.generation++;
    this.signedOut++;
    this.loading.set(false);
    this.items.set([]);
    this.unreadCount.set(0);
    this.nextCursor.set(null);
  }
}
