import { CdkScrollable } from '@angular/cdk/scrolling';
import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, Injector, afterNextRender, computed, effect, inject, signal, viewChild } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatToolbarModule } from '@angular/material/toolbar';
import { NavigationStart, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { SessionStore } from './core/auth/session.store';
import { BellIcon } from './core/notifications/bell-icon';
import { NotificationBell } from './core/notifications/notification-bell';
import { PricesStore } from './core/prices/prices.store';
import { ThemeService } from './core/ui/theme.service';

const FEED_SOURCES: Record<string, string> = {
  simulated: $localize`:price feed source:simulated`,
  none: $localize`:price feed source:none`,
};

/** A phone or a small tablet: the side menu opens over the page from the ☰ button. app.scss draws the same line. */
const NARROW_SCREEN = '(max-width: 959.98px)';

const FEED_STATES: Record<string, string> = {
  live: $localize`:price feed state:live`,
  failover: $localize`:price feed state:failover`,
  down: $localize`:price feed state:down`,
  starting: $localize`:price feed state:starting`,
};

@Component({
  selector: 'app-root',
  imports: [CdkScrollable, RouterOutlet, RouterLink, RouterLinkActive, MatToolbarModule, MatButtonModule, NotificationBell, BellIcon],
  templateUrl: './app.html',
  styleUrl: './app.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  // Escape closes the phone's menu wherever the focus is (a click on the menu's plain text leaves it on the page body).
  host: { '(document:keydown.escape)': 'closeMenu()' },
})
export class App {
  protected readonly session = inject(SessionStore);
  protected readonly prices = inject(PricesStore);
  protected readonly theme = inject(ThemeService);
  private readonly router = inject(Router);

  /** The app runs in the browser and has rendered: its controls answer (a server-rendered page's do not until then). */
  protected readonly interactive = signal(false);
  /**
   * The side menu is open over the page (narrow screens only: on a wide one it is always shown beside the page, in
   * CSS, so a page rendered on the server has the visitor's layout before any script runs). While it is open the bar
   * and the page are inert: the keyboard stays in the menu, as in a dialog.
   */
  protected readonly menuOpen = signal(false);
  private readonly menu = viewChild.required<string, ElementRef<HTMLElement>>('menu', { read: ElementRef });
  private readonly menuButton = viewChild.required<string, ElementRef<HTMLButtonElement>>('menuButton', { read: ElementRef });
  /** The theme switch names what it switches to. */
  protected readonly themeLabel = computed(() => (this.theme.mode() === 'dark' ? $localize`Light theme` : $localize`Dark theme`));

  private readonly injector = inject(Injector);

  constructor() {
    const destroyRef = inject(DestroyRef);
    afterNextRender(() => {
      this.interactive.set(true);
      // The screen crossing the phone's width (a tablet turned): widened with the menu open, the menu is beside the
      // page now and nothing is left inert; the keyboard focus on a control the new width hides (the menu's theme
      // switch, the bar's Log out) moves to what stands for it now: ☰ on a phone, the menu's first entry beside the page.
      const narrow = window.matchMedia?.(NARROW_SCREEN);
      if (!narrow) return;
      const follow = () => {
        if (!narrow.matches) this.menuOpen.set(false);
        const focused = document.activeElement;
        if (focused instanceof HTMLElement && focused !== document.body && focused.checkVisibility?.() === false) {
          (narrow.matches ? this.menuButton().nativeElement : this.menu().nativeElement.querySelector<HTMLElement>('.nav-item'))?.focus();
        }
      };
      narrow.addEventListener('change', follow);
      destroyRef.onDestroy(() => narrow.removeEventListener('change', follow));
    });
    // A page changed by other means than the menu (Back, a redirect to Log in) closes it too.
    const navigations = this.router.events.subscribe((e) => e instanceof NavigationStart && this.closeMenu());
    destroyRef.onDestroy(() => navigations.unsubscribe());
    this.prices.start();
    // Signed in: the /ws/user socket and the notification list; signed out: neither. Their code is loaded at the first
    // sign-in seen: a signed-out visit (the public pages) never downloads it. One promise, so the changes are applied
    // in the order they happened.
    let realtime: Promise<{ follow(signedIn: boolean): void }> | undefined;
    // The code arrives after a tick: an app torn down meanwhile (a test's, a server render's) has no injector to ask.
    let destroyed = false;
    destroyRef.onDestroy(() => (destroyed = true));
    effect(() => {
      const signedIn = this.session.signedIn();
      if (!signedIn && !realtime) return;
      realtime ??= Promise.all([import('./core/notifications/user-events.store'), import('./core/notifications/notifications.store')]).then(
        ([events, list]) => {
          if (destroyed) return { follow: () => undefined };
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
      void realtime.then((r) => {
        if (!destroyed) r.follow(signedIn);
      });
    });
  }

  /** Opens the phone's menu and moves the keyboard focus to its first entry. */
  protected openMenu(): void {
    this.menuOpen.set(true);
    afterNextRender(() => this.menu().nativeElement.querySelector<HTMLElement>('.nav-item')?.focus(), { injector: this.injector });
  }

  /** Closes the phone's menu and gives the focus back to the ☰ button (a no-op on a wide screen). */
  protected closeMenu(): void {
    if (!this.menuOpen()) return;
    this.menuOpen.set(false);
    afterNextRender(() => this.menuButton().nativeElement.focus(), { injector: this.injector });
  }

  /** A link or button chosen in the phone's menu closes it. */
  protected chosen(event: Event): void {
    if (event.target instanceof Element && event.target.closest('a, button')) this.closeMenu();
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
