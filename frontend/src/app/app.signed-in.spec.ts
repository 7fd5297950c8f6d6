import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { FakeWebSocket, installFakeWebSocket } from '../testing/fake-websocket';
import { tick } from '../testing/dom';
import { App } from './app';
import { SessionStore } from './core/auth/session.store';

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

  it('torn down before its signed-in realtime code has arrived, asks nothing of its torn-down injector (no NG0205)', async () => {
    installFakeWebSocket();
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      TestBed.configureTestingModule({ imports: [App], providers: [provideRouter([{ path: '**', children: [] }]), provideHttpClient(), provideHttpClientTesting()] });
      await TestBed.compileComponents();
      const http = TestBed.inject(HttpTestingController);
      const fixture = TestBed.createComponent(App);
      await tick();
      http.expectOne('/api/prices').flush({ prices: {}, status: { source: 'simulated', state: 'ok', lastUpdate: null } });
      http.expectOne('/api/auth/me').flush({ user: { id: 'u1', name: 'Ada', email: 'ada@example.com', role: 'user', emailVerified: true, twoFactorEnabled: false, securityHold: null, createdAt: '' } });
      // Signed in: the effect asks for the realtime code; the shell goes before it has come.
      await TestBed.inject(SessionStore).ready;
      TestBed.tick();
      fixture.destroy();
      await Promise.all([import('./core/notifications/user-events.store'), import('./core/notifications/notifications.store')]);
      await new Promise((r) => setTimeout(r, 50));
      expect(rejections).toEqual([]);
      // Nothing was started for the app that is gone: no /ws/user socket, no notification list asked for.
      expect(FakeWebSocket.instances.filter((w) => w.url.endsWith('/ws/user'))).toEqual([]);
      expect(http.match((r) => r.url === '/api/notifications')).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
