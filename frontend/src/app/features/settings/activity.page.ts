import { TimeComponent } from '../../core/ui/format.pipes';
import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { Router, RouterLink } from '@angular/router';
import { SessionStore } from '../../core/auth/session.store';
import { eventOrigin } from '../security/security-event-labels';
import { ActivityStore } from './activity.store';
import { Skeleton } from '../../core/ui/skeleton';

/** Settings → Account activity: recent sign-ins and security events, and "sign out everywhere". */
@Component({
  selector: 'cv-activity-page',
  imports: [Skeleton, TimeComponent, MatButtonModule, RouterLink],
  providers: [ActivityStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <p><a i18n routerLink="/settings">← Settings</a></p>
      <h1 i18n>Account activity</h1>
      <p i18n class="muted">Sign-ins and security changes of your account, newest first. The network is approximate (where the connection came from).</p>
      <section aria-labelledby="sign-out-title" class="sign-out">
        <h2 i18n id="sign-out-title">Something you don't recognise?</h2>
        <p>
          <button i18n mat-stroked-button type="button" [disabled]="busy()" (click)="signOutEverywhere()">Sign out everywhere</button>
          <span i18n class="muted"> Ends every session, this one included. Then <a routerLink="/forgot-password">reset your password</a>.</span>
        </p>
      </section>
      <h2 i18n>Recent activity</h2>
      @if (store.items(); as items) {
        <ul class="events" data-testid="activity">
          @for (e of items; track e.id) {
            <li>
              <div class="what">
                <strong>{{ e.title }}</strong>
                @if (e.newDevice) {
                  <span i18n class="tag">new device or network</span>
                }
              </div>
              <div class="muted">
                <cv-time [at]="e.createdAt" format="datetime" /> · {{ origin(e) }}
              </div>
            </li>
          } @empty {
            <li i18n class="muted">No activity yet.</li>
          }
        </ul>
        @if (store.nextCursor()) {
          <button i18n mat-stroked-button type="button" [disabled]="store.loading()" (click)="more()">Show older activity</button>
        }
      } @else {
        <cv-skeleton [count]="8" />
      }
    </div>
  `,
  styles: `
    .events {
      list-style: none;
      padding: 0;
      margin: 0 0 16px;
    }
    .events li {
      padding: 10px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant, #ccc);
      overflow-wrap: anywhere;
    }
    .what {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      align-items: baseline;
    }
    .tag {
      font-size: 0.85em;
      padding: 0 6px;
      border: 1px solid currentColor;
      border-radius: 4px;
    }
    .sign-out {
      margin-bottom: 24px;
    }
  `,
})
export class ActivityPage implements OnInit {
  protected readonly store = inject(ActivityStore);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  protected readonly busy = signal(false);
  protected readonly origin = eventOrigin;

  ngOnInit(): void {
    void this.store.load().catch(() => undefined);
  }

  protected more(): void {
    void this.store.loadMore().catch(() => undefined);
  }

  protected async signOutEverywhere(): Promise<void> {
    this.busy.set(true);
    try {
      await this.session.logoutEverywhere();
      await this.router.navigate(['/login']);
    } catch {
      /* the error interceptor has shown it */
    } finally {
      this.busy.set(false);
    }
  }
}
