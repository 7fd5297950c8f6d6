import { BreakpointObserver, Breakpoints } from '@angular/cdk/layout';
import { ChangeDetectionStrategy, Component, computed, effect, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { map } from 'rxjs';
import { SessionStore } from './core/auth/session.store';
import { BellIcon } from './core/notifications/bell-icon';
import { NotificationBell } from './core/notifications/notification-bell';
import { NotificationsStore } from './core/notifications/notifications.store';
import { UserEventsStore } from './core/notifications/user-events.store';
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

  protected readonly handset = toSignal(
    inject(BreakpointObserver)
      .observe([Breakpoints.XSmall, Breakpoints.Small])
      .pipe(map((r) => r.matches)),
    { initialValue: false },
  );
  protected readonly sideMode = computed(() => (this.handset() ? 'over' : 'side'));
  /** The theme switch names what it switches to. */
  protected readonly themeLabel = computed(() => (this.theme.mode() === 'dark' ? $localize`Light theme` : $localize`Dark theme`));

  private readonly userEvents = inject(UserEventsStore);
  private readonly notifications = inject(NotificationsStore);

  constructor() {
    this.prices.start();
    // Signed in: the /ws/user socket and the notification list; signed out: neither.
    effect(() => {
      const signedIn = this.session.signedIn();
      this.userEvents.follow(signedIn);
      if (signedIn) void this.notifications.load().catch(() => undefined);
      else this.notifications.clear();
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
