import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { buttonByText, tick } from '../../../testing/dom';
import { NotificationBell } from './notification-bell';
import { NotificationsStore } from './notifications.store';

const n = (id: string, type: string, title: string, read = false) => ({
  id, type, title, body: `${title}.`, data: {}, read, readAt: read ? '2026-11-28T20:00:00Z' : null, createdAt: '2026-11-28T19:00:00Z',
});

describe('NotificationBell', () => {
  it('counts unread notifications, opens one (marking it read) and marks all read', async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    const http = TestBed.inject(HttpTestingController);
    const store = TestBed.inject(NotificationsStore);
    const loading = store.load();
    http.expectOne((r) => r.url === '/api/notifications').flush({
      items: [n('n1', 'alert_triggered', 'BTC is above 70000 USD'), n('n2', 'deposit_credited', 'Deposit credited: 100.00 USD'), n('n3', 'order_filled', 'Old fill', true)],
      nextCursor: null,
      unreadCount: 2,
    });
    await loading;

    const fixture = TestBed.createComponent(NotificationBell);
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    const bell = el.querySelector<HTMLButtonElement>('[data-testid=notifications-bell]')!;
    expect(bell.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    expect(bell.textContent).toContain('2');

    bell.click();
    await fixture.whenStable();
    const panel = document.querySelector<HTMLElement>('.cv-notif-panel')!;
    // Text stored by an earlier release reads with formatted figures.
    expect(panel.textContent).toContain('BTC is above $70,000.00');
    expect(panel.textContent).not.toContain('70000 USD');
    expect(panel.textContent).toContain('Old fill');

    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    buttonByText(panel, 'BTC is above $70,000.00').click();
    await tick();
    const read = http.expectOne('/api/notifications/n1/read');
    expect(read.request.method).toBe('POST');
    read.flush(n('n1', 'alert_triggered', 'BTC is above 70000 USD', true));
    await tick();
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith('/alerts');
    expect(bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');

    bell.click();
    await fixture.whenStable();
    buttonByText(document.querySelector('.cv-notif-panel')!, 'Mark all read').click();
    http.expectOne('/api/notifications/read-all').flush({ updated: 1 });
    await tick();
    await fixture.whenStable();
    expect(bell.getAttribute('aria-label')).toBe('Notifications');
    expect(store.items().every((i) => i.read)).toBe(true);
    http.verify();
  });

  it("shows nothing of the signed-out user's notifications when their list answers after sign-out", async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    const http = TestBed.inject(HttpTestingController);
    const store = TestBed.inject(NotificationsStore);
    const loading = store.load();
    const late = http.expectOne((r) => r.url === '/api/notifications');
    store.clear();
    late.flush({ items: [n('n1', 'deposit_credited', 'Deposit credited: 100.00 USD')], nextCursor: 'c2', unreadCount: 1 });
    await loading;
    expect(store.items()).toEqual([]);
    expect(store.unreadCount()).toBe(0);
    expect(store.nextCursor()).toBeNull();
    expect(store.loading()).toBe(false);
  });

  it('drops a "show more" page that answers after the list was read again, and does not count it', async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    const http = TestBed.inject(HttpTestingController);
    const store = TestBed.inject(NotificationsStore);
    const first = store.load();
    http.expectOne((r) => r.url === '/api/notifications' && !r.params.has('cursor')).flush({ items: [n('n3', 'order_filled', 'Fill 3')], nextCursor: 'c2', unreadCount: 3 });
    await first;
    const more = store.loadMore();
    const older = http.expectOne((r) => r.params.get('cursor') === 'c2');
    const again = store.load();
    http.expectOne((r) => r.url === '/api/notifications' && !r.params.has('cursor')).flush({ items: [n('n4', 'order_filled', 'Fill 4')], nextCursor: null, unreadCount: 1 });
    await again;
    older.flush({ items: [n('n2', 'order_filled', 'Fill 2')], nextCursor: null, unreadCount: 3 });
    await more;
    expect(store.items().map((i) => i.id)).toEqual(['n4']);
    expect(store.unreadCount()).toBe(1);
  });

  it("does not mark the next user's notifications read when a 'mark all read' answers after sign-out", async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    const http = TestBed.inject(HttpTestingController);
    const store = TestBed.inject(NotificationsStore);
    const first = store.load();
    http.expectOne((r) => r.url === '/api/notifications').flush({ items: [n('n1', 'order_filled', 'Fill 1')], nextCursor: null, unreadCount: 1 });
    await first;
    const marking = store.markAllRead();
    const mark = http.expectOne((r) => r.method === 'POST');
    store.clear();
    const next = store.load();
    http.expectOne((r) => r.url === '/api/notifications').flush({ items: [n('m1', 'deposit_credited', 'Deposit credited'), n('m2', 'order_filled', 'Fill 2')], nextCursor: null, unreadCount: 2 });
    await next;
    mark.flush(null, { status: 204, statusText: 'No Content' });
    await marking;
    expect(store.unreadCount()).toBe(2);
    expect(store.items().every((i) => !i.read)).toBe(true);
  });

  it('does not ask for more while the list is read again', async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    const http = TestBed.inject(HttpTestingController);
    const store = TestBed.inject(NotificationsStore);
    const first = store.load();
    http.expectOne((r) => r.url === '/api/notifications').flush({ items: [n('n3', 'order_filled', 'Fill 3')], nextCursor: 'c2', unreadCount: 1 });
    await first;
    const again = store.load();
    await store.loadMore();
    http.expectNone((r) => r.params.has('cursor'));
    http.expectOne((r) => r.url === '/api/notifications').flush({ items: [n('n4', 'order_filled', 'Fill 4')], nextCursor: null, unreadCount: 1 });
    await again;
    expect(store.items().map((i) => i.id)).toEqual(['n4']);
  });
});
