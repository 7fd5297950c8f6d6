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
});
