import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { forgotPassword } from '../../api/fn/auth/forgot-password';
import { silentErrors } from '../../core/http/http-context';
import { FormErrors } from './form-errors';

@Component({
  selector: 'cv-forgot-password-page',
  imports: [FormsModule, RouterLink, MatFormFieldModule, MatInputModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="auth-card">
      <h1 i18n>Forgot your password?</h1>
      @if (sent()) {
        <p i18n>If an account exists for {{ email }}, we sent a link to reset its password. It is valid for one hour.</p>
        <p><a i18n routerLink="/login">Back to log in</a></p>
      } @else {
        <form class="form" (ngSubmit)="submit()">
          <mat-form-field>
            <mat-label i18n>Email</mat-label>
            <input matInput type="email" name="email" autocomplete="email" required [(ngModel)]="email" />
            @if (errors.fields()['email']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
          </mat-form-field>
          @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
          <button i18n mat-flat-button type="submit" [disabled]="busy()">Send reset link</button>
        </form>
      }
    </div>
  `,
})
export class ForgotPasswordPage {
  private readonly api = inject(Api);
  protected email = '';
  protected readonly sent = signal(false);
  protected readonly busy = signal(false);
  protected readonly errors = new FormErrors();

  async submit(): Promise<void> {
    this.busy.set(true);
    this.errors.clear();
    try {
      await this.api.invoke(forgotPassword, { body: { email: this.email } }, silentErrors());
      this.sent.set(true);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
