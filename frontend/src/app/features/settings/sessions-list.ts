import { WhenPipe } from '../../core/ui/format.pipes';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { Router } from '@angular/router';
import { SessionStore } from '../../core/auth/session.store';
import { SettingsStore } from './settings.store';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

/** Active sign-ins (refresh-token families): this one marked, the others revocable. */
@Component({
  selector: 'cv-sessions-list',
  imports: [Skeleton, CardTable, WhenPipe, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (store.sessions(); as sessions) {
      <div class="table-wrap">
        <table class="data">
          <thead>
            <tr><th i18n>Device</th><th i18n>IP address</th><th i18n>Signed in</th><th i18n>Last used</th><th><span i18n class="visually-hidden">Action</span></th></tr>
          </thead>
          <tbody>
            @for (s of sessions; track s.id) {
              <tr>
                <td>{{ s.device }}</td>
                <td>{{ s.ip ?? '—' }}</td>
                <td>{{ s.createdAt | when }}</td>
                <td>{{ s.lastUsedAt | when }}</td>
                <td>
                  @if (s.current) {
                    <strong i18n>This session</strong>
                  } @else {
                    <button i18n mat-stroked-button type="button" [disabled]="busy() === s.id" [attr.aria-label]="revokeLabel(s.device)" (click)="revoke(s.id)">
                      Revoke
                    </button>
                  }
                </td>
              </tr>
            } @empty {
              <tr><td i18n colspan="5" class="muted">No active sessions.</td></tr>
            }
          </tbody>
        </table>
      </div>
      <p>
        <button i18n mat-stroked-button type="button" [disabled]="busy() === 'all'" (click)="signOutEverywhere()">Sign out everywhere</button>
        <span i18n class="muted"> Ends every session, this one included; use it if a device you do not recognise is listed.</span>
      </p>
    } @else {
      <cv-skeleton [count]="2" />
    }
  `,
})
export class SessionsList {
  protected readonly store = inject(SettingsStore);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  protected readonly busy = signal<string | null>(null);

  protected revokeLabel(device: string): string {
    return $localize`Revoke session: ${device}:device:`;
  }

  protected async signOutEverywhere(): Promise<void> {
    this.busy.set('all');
    try {
      await this.session.logoutEverywhere();
      await this.router.navigate(['/login']);
    } catch {
      /* the error interceptor has shown it */
    } finally {
      this.busy.set(null);
    }
  }

  protected async revoke(id: string): Promise<void> {
    this.busy.set(id);
    try {
      await this.store.revokeSession(id);
    } catch {
      /* the error interceptor has shown it */
    } finally {
      this.busy.set(null);
    }
  }
}
