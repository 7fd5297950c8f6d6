import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, provideRouter } from '@angular/router';
import { Subject } from 'rxjs';
import { FakeWebSocket, installFakeWebSocket } from '../../../testing/fake-websocket';
import { NotificationsStore } from './notifications.store';
import { UserEventsStore } from './user-events.store';

const flushPromises = () => new Promise((r) => setTimeout(r, 0));

const notification = (id: string, title: string) => ({
  id, type: 'order_filled', title, body: 'Your limit buy of 0.5 BTC filled at 60000 USD.', data: {}, read: false, readAt: null, createdAt: '2026-11-28T20:00:00Z',
});

describe('UserEventsStore', () => {
  let store: UserEventsStore;
  let http: HttpTestingController;
  let snack: { open: ReturnType<typeof vi.fn>; action: Subject<void> };

  beforeEach(() => {
    installFakeWebSocket();
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    store = TestBed.inject(UserEventsStore);
    http = TestBed.inject(HttpTestingController);
    const action = new Subject<void>();
    snack = { action, open: vi.fn(() => ({ onAction: () => action })) };
    vi.spyOn(TestBed.inject(MatSnackBar), 'open').mockImplementation(snack.open as never);
  });

  afterEach(() => {
    store.disconnect();
    vi.useRealTimers();
  });

  it('opens /ws/user when signed in and turns an order fill into a snackbar, an unread notification and an orders refresh', async () => {
    store.follow(true);
    expect(FakeWebSocket.instances.map((w) => w.url)).toEqual([`ws://${location.host}/ws/user`]);
    const ws = FakeWebSocket.instances[0];
    ws.receive({ type: 'authenticated', userId: 'u1', expiresAt: 'x', timestamp: 'x' });
    expect(store.connected()).toBe(true);

    const orders = store.ordersChanged();
    ws.receive({ type: 'order_filled', data: { order: { id: 'o1' } }, notification: notification('n1', 'Your limit buy of BTC filled'), timestamp: 'x' });

    expect(store.ordersChanged()).toBe(orders + 1);
    // The snackbar's code loads with the first message (two lazy chunks: on a busy machine that took over vi.waitFor's
    // default second).
    await vi.waitFor(() => expect(snack.open).toHaveBeenCalledWith('Your limit buy of BTC filled', 'View', expect.anything()), { timeout: 15_000 });
    const notifications = TestBed.inject(NotificationsStore);
    expect(notifications.unreadCount()).toBe(1);
    expect(notifications.items()[0].title).toBe('Your limit buy of BTC filled');

    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    snack.action.next();
    expect(navigate).toHaveBeenCalledWith('/orders');

    // The same notification again (e.g. after a reconnect) is not counted twice.
    ws.receive({ type: 'order_filled', data: {}, notification: notification('n1', 'Your limit buy of BTC filled'), timestamp: 'x' });
    expect(notifications.unreadCount()).toBe(1);
    http.verify();
  });

  it('reconnects with a growing delay after a drop, catches up on what it missed, and stays closed after logout', async () => {
    vi.useFakeTimers();
    store.follow(true);
    FakeWebSocket.instances[0].receive({ type: 'authenticated', userId: 'u1', expiresAt: 'x', timestamp: 'x' });

    FakeWebSocket.instances[0].drop();
    expect(store.connected()).toBe(false);
    vi.advanceTimersByTime(999);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);

    FakeWebSocket.instances[1].drop();
    vi.advanceTimersByTime(1999);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(3);

    // Back in: the notification list is reloaded and every feature is told to refresh.
    const alerts = store.alertsChanged();
    FakeWebSocket.instances[2].receive({ type: 'authenticated', userId: 'u1', expiresAt: 'x', timestamp: 'x' });
    expect(store.alertsChanged()).toBe(alerts + 1);
    http.expectOne((r) => r.url === '/api/notifications').flush({ items: [], nextCursor: null, unreadCount: 3 });
    await vi.runOnlyPendingTimersAsync();
    expect(TestBed.inject(NotificationsStore).unreadCount()).toBe(3);

    store.follow(false);
    expect(FakeWebSocket.instances[2].closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(3);
  });

  it('refreshes the access token when the server closes with 4401, then reconnects', async () => {
    store.follow(true);
    FakeWebSocket.instances[0].drop(4401);
    const refresh = http.expectOne('/api/auth/refresh');
    expect(refresh.request.method).toBe('POST');
    vi.useFakeTimers();
    refresh.flush({ user: { id: 'u1' } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('refreshes at once when the server says the cookie did not sign the socket in', async () => {
    store.follow(true);
    FakeWebSocket.instances[0].receive({ type: 'connection', status: 'awaiting_auth', timestamp: 'x' });
    expect(FakeWebSocket.instances[0].closed).toBe(true);
    vi.useFakeTimers();
    http.expectOne('/api/auth/refresh').flush({ user: { id: 'u1' } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.instances[1].receive({ type: 'authenticated', userId: 'u1', expiresAt: 'x', timestamp: 'x' });
    expect(store.connected()).toBe(true);
  });

  it('gives up when the session cannot be refreshed', async () => {
    store.follow(true);
    FakeWebSocket.instances[0].drop(4401);
    vi.useFakeTimers();
    http.expectOne('/api/auth/refresh').flush({ statusCode: 401, error: { code: 'UNAUTHENTICATED', message: 'x' } }, { status: 401, statusText: 'x' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('closes its socket when the app is destroyed, and does not open another', () => {
    vi.useFakeTimers();
    store.follow(true);
    const ws = FakeWebSocket.instances[0];
    ws.receive({ type: 'authenticated', userId: 'u1', expiresAt: 'x', timestamp: 'x' });
    expect(store.connected()).toBe(true);
    TestBed.resetTestingModule();
    expect(ws.closed).toBe(true);
    expect(store.connected()).toBe(false);
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('makes no pending retry once the app is destroyed', () => {
    vi.useFakeTimers();
    store.follow(true);
    FakeWebSocket.instances[0].drop();
    TestBed.resetTestingModule();
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('does not reconnect when the app is destroyed while the token is being refreshed', async () => {
    store.follow(true);
    FakeWebSocket.instances[0].drop(4401);
    const refresh = http.expectOne('/api/auth/refresh');
    vi.useFakeTimers();
    TestBed.resetTestingModule();
    refresh.flush({ user: { id: 'u1' } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('a token refresh that outlives its session does not touch the next one', async () => {
    store.follow(true);
    FakeWebSocket.instances[0].drop(4401);
    const refresh = http.expectOne('/api/auth/refresh');
    // Signed out and in again while the refresh was on its way: the new session opens its own socket at once.
    store.follow(false);
    store.follow(true);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.useFakeTimers();
    refresh.flush({ user: { id: 'u1' } });
    FakeWebSocket.instances[1].drop();
    // The new session's first retry waits its first delay (1 s), not a second step of the backoff, and opens one socket.
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.instances).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(3);
  });
});
