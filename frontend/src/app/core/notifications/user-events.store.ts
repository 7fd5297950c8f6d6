import { DestroyRef, Injectable, Injector, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { NotificationDto, UserEventType } from '../../api/models';
import { TokenRefresher } from '../auth/token-refresher';
import { ReconnectingSocket } from '../http/reconnecting-socket';
import { NotificationsStore } from './notifications.store';
import { Toasts } from '../ui/toasts';
import type { NotificationText } from './notification-text';

/** One realtime event of `/ws/user` (API.md "WebSocket"). */
export interface UserEvent {
  type: UserEventType;
  data: Record<string, unknown>;
  /** The stored in-app notification, when the event produced one. */
  notification?: NotificationDto;
  timestamp: string;
}

type ServerMessage =
  | UserEvent
  | { type: 'connection'; status: string }
  | { type: 'authenticated'; userId: string; expiresAt: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'pong' };

const EVENT_TYPES: ReadonlySet<string> = new Set<UserEventType>([
  'order_filled',
  'order_cancelled',
  'convert_settled',
  'alert_triggered',
  'deposit_credited',
  'withdrawal_updated',
  'notification',
]);

/** The server closes with 4401 when the socket's access token is missing, expired or revoked. */
const CLOSE_UNAUTHENTICATED = 4401;

/** Where the snackbar's "View" goes for each kind of event. */
export function eventLink(type: string): string | null {
  switch (type) {
    case 'order_filled':
    case 'order_cancelled':
      return '/orders';
    case 'convert_settled':
      return '/convert';
    case 'alert_triggered':
      return '/alerts';
    case 'deposit_credited':
    case 'withdrawal_updated':
      return '/transactions';
    default:
      return null;
  }
}

const FALLBACK_TEXT: Record<UserEventType, string> = {
  order_filled: $localize`An order filled`,
  order_cancelled: $localize`An order was cancelled`,
  convert_settled: $localize`A conversion was settled`,
  alert_triggered: $localize`A price alert fired`,
  deposit_credited: $localize`A deposit was credited`,
  withdrawal_updated: $localize`A withdrawal changed status`,
  notification: $localize`New notification`,
};

/**
 * The signed-in user's realtime events: one WebSocket to `/ws/user` on the page's own origin, authenticated by the
 * access_token cookie. Reconnects with backoff (ReconnectingSocket; after refreshing the token when the server says it
 * expired), closes on logout and when the app (its root injector) is destroyed. Each event becomes a snackbar, lands
 * in the notification list, and bumps a counter that the interested feature stores watch to refresh.
 */
@Injectable({ providedIn: 'root' })
export class UserEventsStore {
  private readonly toasts = inject(Toasts);
  private readonly router = inject(Router);
  private readonly refresher = inject(TokenRefresher);
  private readonly notifications = inject(NotificationsStore);
  private readonly injector = inject(Injector);

  private readonly socket = new ReconnectingSocket(
    '/ws/user',
    {
      message: (data) => this.onMessage(data),
      closed: (code) => {
        this.connected.set(false);
        if (code !== CLOSE_UNAUTHENTICATED) return 'retry';
        void this.refreshThenRetry();
        return 'wait';
      },
    },
    inject(DestroyRef),
  );
  private everAuthenticated = false;
  /** Counts `connect`s: a token refresh that outlived its session (signed out and in again meanwhile) schedules nothing. */
  private session = 0;

  /** The socket is open and signed in. */
  readonly connected = signal(false);
  readonly lastEvent = signal<UserEvent | null>(null);
  /** Bumped on order fills and cancellations: orders, wallet and transaction views refresh. */
  readonly ordersChanged = signal(0);
  /** Bumped when an alert fires. */
  readonly alertsChanged = signal(0);
  /** Bumped on deposit and withdrawal changes and settled conversions. */
  readonly walletChanged = signal(0);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.connected.set(false));
  }

  /** Connects while signed in, disconnects otherwise (the app shell calls this from an effect). */
  follow(signedIn: boolean): void {
    if (signedIn && typeof WebSocket !== 'undefined') this.connect();
    else this.disconnect();
  }

  connect(): void {
    if (this.socket.active) return;
    this.session++;
    this.everAuthenticated = false;
    this.socket.start();
  }

  disconnect(): void {
    this.socket.stop();
    this.connected.set(false);
  }

  private reconnectWithFreshToken(): void {
    this.socket.drop();
    void this.refreshThenRetry();
  }

  private async refreshThenRetry(): Promise<void> {
    const session = this.session;
    const ok = await this.refresher.refresh();
    // No fresh token: the session is over; the next HTTP call sends the user to /login. Nothing is retried either
    // once the user signed out or the app closed meanwhile (the socket is no longer wanted), nor for a session that
    // ended meanwhile (the new one has its own socket).
    if (ok && session === this.session) this.socket.retryLater();
  }

  private onMessage(raw: string): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(raw) as ServerMessage;
    } catch {
      return;
    }
    if (msg.type === 'connection' && msg.status === 'awaiting_auth') {
      // The cookie's access token was missing or stale: refresh it and come back, rather than idle until the server's timeout.
      this.reconnectWithFreshToken();
      return;
    }
    if (msg.type === 'authenticated') {
      this.socket.succeeded();
      this.connected.set(true);
      // Back after a drop: pick up whatever happened while the socket was down.
      if (this.everAuthenticated) this.resync();
      this.everAuthenticated = true;
      return;
    }
    if (EVENT_TYPES.has(msg.type)) this.onEvent(msg as UserEvent);
  }

  private onEvent(event: UserEvent): void {
    this.lastEvent.set(event);
    if (event.notification) this.notifications.received(event.notification);
    if (event.type === 'order_filled' || event.type === 'order_cancelled') this.ordersChanged.update((n) => n + 1);
    else if (event.type === 'alert_triggered') this.alertsChanged.update((n) => n + 1);
    else if (event.type === 'deposit_credited' || event.type === 'withdrawal_updated' || event.type === 'convert_settled') this.walletChanged.update((n) => n + 1);

    if (event.type === 'alert_triggered') this.systemNotification(event);

    const link = eventLink(event.type);
    const action = link ? $localize`:snackbar action:View` : $localize`:snackbar action:Close`;
    const text = event.notification ? this.written(event.notification).then((t) => t.title, () => FALLBACK_TEXT[event.type]) : Promise.resolve(FALLBACK_TEXT[event.type]);
    void text
      .then((title) => this.toasts.open(title, action, { duration: 8000 }))
      .then((ref) => {
        if (link) ref.onAction().subscribe(() => void this.router.navigateByUrl(link));
      })
      // No snackbar (its code did not load, or the app is closing): the notification is in the list all the same.
      .catch(() => undefined);
  }

  /**
   * A notification's title and body in the reader's language (see notification-text). The renderer and the
   * formatter load with the first event, like the snackbar: neither is part of the start-up bundle.
   */
  private async written(n: NotificationDto): Promise<NotificationText> {
    const [{ notificationText }, { DisplayFormat }] = await Promise.all([import('./notification-text'), import('../ui/format.pipes')]);
    return notificationText(n, this.injector.get(DisplayFormat));
  }

  /** Alerts created with "Browser notification" also show one, if the user allowed it. */
  private systemNotification(event: UserEvent): void {
    const alert = event.data['alert'] as { notifyPush?: boolean } | undefined;
    if (!alert?.notifyPush || !event.notification) return;
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const n = event.notification;
    void this.written(n)
      .catch(() => ({ title: n.title, body: n.body }))
      .then(({ title, body }) => {
        try {
          new Notification(title, { body, tag: n.id });
        } catch {
          /* some browsers only allow notifications from a service worker; the snackbar is enough */
        }
      });
  }

  private resync(): void {
    void this.notifications.load().catch(() => undefined);
    this.ordersChanged.update((n) => n + 1);
    this.alertsChanged.update((n) => n + 1);
    this.walletChanged.update((n) => n + 1);
  }
}
