import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { confirmEmailChange } from '../../api/fn/auth/confirm-email-change';
import { SessionStore } from '../../core/auth/session.store';
import { silentErrors } from '../../core/http/http-context';
import { FormErrors } from './form-errors';

/**
 * Opened from the link mailed to a new address, `/confirm-email-change?token=…`. Opening it changes nothing
 * (mail scanners open links): only the button sends the token (POST /api/auth/confirm-email-change).
 */
@Component({
  selector: 'cv-confirm-email-change-page',
  imports: [RouterLink, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="auth-card">
      <h1 i18n>Confirm your new email address</h1>
      @if (!token()) {
        <p i18n class="error-text">This link is incomplete. Open the link from the email again, or ask for the change again in Settings.</p>
      } @else if (done(); as m) {
        <p role="status" data-testid="email-change-done">{{ m }}</p>
        <p><a i18n routerLink="/settings">Go to Settings</a></p>
      } @else {
        <p i18n>Press the button to make this address the sign-in address of your CryptoVault account. Your other sessions will be signed out.</p>
        @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
        <button i18n mat-flat-button type="button" (click)="confirm()" [disabled]="busy()">Confirm</button>
      }
    </div>
  `,
})
export class ConfirmEmailChangePage {
  private readonly api = inject(Api);
  private readonly session = inject(SessionStore);
  readonly token = input<string>();
  protected readonly busy = signal(false);
  protected readonly done = signal<string | null>(null);
  protected readonly errors = new FormErrors();

  protected async confirm(): Promise<void> {
    this.busy.set(true);
    this.errors.clear();
    try {
      const res = await this.api.invoke(confirmEmailChange, { body: { token: this.token() ?? '' } }, silentErrors());
      this.done.set(res.message);
      // Signed in here with this account (or another session of it): show the new address.
      if (this.session.signedIn()) await this.session.reload();
    } catch (err) {
      const e = this.errors.set(err);
      if (e.details.some((d) => d.field === 'token')) this.errors.message.set($localize`This link is invalid, used or expired. Ask for the change again in Settings.`);
    } finally {
      this.busy.set(false);
    }
  }
}
