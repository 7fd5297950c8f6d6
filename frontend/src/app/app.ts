import { BreakpointObserver, Breakpoints } from '@angular/cdk/layout';
import { isPlatformBrowser } from '@angular/common';
import { ChangeDetectionStrategy, Component, DOCUMENT, DestroyRef, Injector, PLATFORM_ID, afterNextRender, computed, effect, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { SessionStore } from './core/auth/session.store';
import { BellIcon } from './core/notifications/bell-icon';
import { NotificationBell } from './core/notifications/notification-bell';
import { PricesStore } from './core/prices/prices.store';
import { ThemeService } from './core/ui/theme.service';

const FEED_SOURCES: Record<string, string> = {
  simulated: $localize`:price feed source:simulated`,
  none: $localize`:price feed source:none`,
};

const FEED_STATES: Record<string, string> = {
  live: $localize`:price feed state:live`,
  failover: $localize`:price feed state:failover`,
  down: $localize`:price feed state:down`,
  starting: $localize`:price feed state:starting`,
};

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, MatToolbarModule, MatSidenavModule, MatButtonModule, NotificationBell, BellIcon],
  templateUrl: './app.html',
  styleUrl: './app.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  protected readonly session = inject(SessionStore);
  protected readonly prices = inject(PricesStore);
  protected readonly theme = inject(ThemeService);
  private readonly router = inject(Router);

  private readonly breakpoints = inject(BreakpointObserver);
  /**
   * A page rendered on the server, which the app takes over (hydration) rather than renders anew: the root element
   * carries `ng-server-context` (server.ts).
   */
  private readonly serverRendered = !isPlatformBrowser(inject(PLATFORM_ID)) || inject(DOCUMENT).querySelector('app-root[ng-server-context]') !== null;

  /**
   * A phone-sized screen. The server, which knows no screen, lays a page out as on a phone: the menu closed over the
   * page (beside an open side menu, Material hides the page until the browser has measured it, so only this layout
   * shows the prices before the app runs). Taking such a page over, the app starts from that same layout and follows
   * the screen from its first render on: a view the page had that the app never took over would stay in it.
   */
  protected readonly handset = signal(this.serverRendered || this.breakpoints.isMatched([Breakpoints.XSmall, Breakpoints.Small]));
  /** The app runs in the browser and has rendered: its controls answer (a server-rendered page's do not until then). */
  protected readonly interactive = signal(false);
  protected readonly sideMode = computed(() => (this.handset() ? 'over' : 'side'));
  /** The theme switch names what it switches to. */
  protected readonly themeLabel = computed(() => (this.theme.mode() === 'dark' ? $localize`Light theme` : $localize`Dark theme`));

  private readonly injector = inject(Injector);

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      this.interactive.set(true);
      const sub = this.breakpoints.observe([Breakpoints.XSmall, Breakpoints.Small]).subscribe((r) => this.handset.set(r.matches));
      destroyRef.onDestroy(() => sub.unsubscribe());
    });
    this.prices.start();
    // Signed in: the /ws/user socket and the notification list; signed out: neither. Their code is loaded at the first
    // sign-in seen: a signed-out visit (the public pages) never downloads it. One promise, so the changes are applied
    // in the order they happened.
    let realtime: Promise<{ follow(signedIn: boolean): void }> | undefined;
    effect(() => {
      const signedIn = this.session.signedIn();
      if (!signedIn && !realtime) return;
      realtime ??= Promise.all([import('./core/notifications/user-events.store'), import('./core/notifications/notifications.store')]).then(
        ([events, list]) => {
          const userEvents = this.injector.get(events.UserEventsStore);
          const notifications = this.injector.get(list.NotificationsStore);
          return {
            follow: (on: boolean) => {
              userEvents.follow(on);
              if (on) void notifications.load().catch(() => undefined);
              else notifications.clear();
            },
          };
        },
      );
      void realtime.then((r) => r.follow(signedIn));
    });
  }

  /** The price source in words ("simulated", "none"); a provider's own name (coingecko, binance) as it is. */
  protected sourceName(source: string): string {
    return FEED_SOURCES[source] ?? source;
  }

  /** The feed's state in words: live, failover, down, starting. */
  protected feedState(state: string): string {
    return FEED_STATES[state] ?? state;
  }

  protected async signOut(): Promise<void> {
    await this.session.logout();
    await this.router.navigate(['/login']);
  }
}
