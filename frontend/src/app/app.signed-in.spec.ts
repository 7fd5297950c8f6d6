import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { FakeWebSocket, installFakeWebSocket } from '../testing/fake-websocket';
import { tick } from '../testing/dom';
import { App } from './app';

describe('App shell, signed in', () => {
  it('offers Orders, Transactions and Alerts, listens on /ws/user with the bell count, and closes the socket on logout', async () => {
    installFakeWebSocket();
    TestBed.configureTestingModule({ imports: [App], providers: [provideRouter([{ path: '**', children: [] }]), provideHttpClient(), provideHttpClientTesting()] });
    await TestBed.compileComponents(); // the shell has a @defer block
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(App);
    await tick();
    http.expectOne('/api/prices').flush({ prices: {}, status: { source: 'simulated', state: 'ok', lastUpdate: null } });
    http.expectOne('/api/auth/me').flush({ user: { id: 'u1', name: 'Ada', email: 'ada@example.com', role: 'user', emailVerified: true, twoFactorEnabled: false, securityHold: null, createdAt: '' } });
    // The signed-in realtime code is loaded at the first sign-in (a dynamic import): the list is asked for once it is in.
    let list = http.match((r) => r.url === '/api/notifications');
    for (let i = 0; i < 100 && list.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      await fixture.whenStable();
      list = http.match((r) => r.url === '/api/notifications');
    }
    expect(list).toHaveLength(1);
    list[0].flush({ items: [], nextCursor: null, unreadCount: 4 });
    await tick();
    await fixture.whenStable();

    const el: HTMLElement = fixture.nativeElement;
    const nav = [...el.querySelectorAll('nav.nav-list a')].map((a) => a.textContent?.trim());
    expect(nav).toEqual(expect.arrayContaining(['Orders', 'Transactions', 'Alerts']));
    const userSocket = FakeWebSocket.instances.find((w) => w.url.endsWith('/ws/user'))!;
    expect(userSocket).toBeDefined();

    // The bell arrives with the deferred block; the count is there once it has.
    await new Promise((r) => setTimeout(r, 50));
    await fixture.whenStable();
    expect(el.querySelector('[data-testid=notifications-bell]')?.getAttribute('aria-label')).toBe('Notifications, 4 unread');

    [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Log out')!.click();
    http.expectOne('/api/auth/logout').flush({});
    await tick();
    await fixture.whenStable();
    expect(userSocket.closed).toBe(true);
    expect(el.textContent).not.toContain('Transactions');
  });
});
