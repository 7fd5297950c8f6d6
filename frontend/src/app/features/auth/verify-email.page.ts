import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { resendVerification } from '../../api/fn/auth/resend-verification';
import { verifyEmail } from '../../api/fn/auth/verify-email';
import { silentErrors } from '../../core/http/http-context';
import { FormErrors } from './form-errors';

/** Verify with the 6-digit code (or, from the email link, the `token` query parameter). */
@Component({
  selector: 'cv-verify-email-page',
  imports: [FormsModule, RouterLink, MatFormFieldModule, MatInputModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="auth-card">
      <h1 i18n>Verify your email</h1>
      @if (verified()) {
        <p i18n>Your email is verified. <a routerLink="/login">Log in</a></p>
      } @else {
        <p i18n>We sent a 6-digit code to your email address.</p>
        <form class="form" (ngSubmit)="submit()">
          <mat-form-field>
            <mat-label i18n>Email</mat-label>
            <input matInput type="email" name="email" autocomplete="email" required [(ngModel)]="emailValue" />
            @if (errors.fields()['email']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
          </mat-form-field>
          <mat-form-field>
            <mat-label i18n>Code</mat-label>
            <input matInput name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}" required [(ngModel)]="code" />
            @if (errors.fields()['code']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
          </mat-form-field>
          @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
          @if (notice(); as n) { <p>{{ n }}</p> }
          <button i18n mat-flat-button type="submit" [disabled]="busy()">Verify</button>
          <button i18n mat-button type="button" (click)="resend()" [disabled]="busy() || !emailValue">Send a new code</button>
        </form>
      }
    </div>
  `,
})
export class VerifyEmailPage implements OnInit {
  private readonly api = inject(Api);
  readonly email = input<string>();
  readonly token = input<string>();

  protected emailValue = '';
  protected code = '';
  protected readonly verified = signal(false);
  protected readonly busy = signal(false);
  protected readonly notice = signal<string | null>(null);
  protected readonly errors = new FormErrors();

  ngOnInit(): void {
    this.emailValue = this.email() ?? '';
    const token = this.token();
    if (token) void this.verify({ token });
  }

  submit(): Promise<void> {
    return this.verify({ email: this.emailValue, code: this.code.trim() });
  }

  async resend(): Promise<void> {
    this.busy.set(true);
    this.errors.clear();
    try {
      const res = await this.api.invoke(resendVerification, { body: { email: this.emailValue } }, silentErrors());
      this.notice.set(res.message);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }

  private async verify(body: { token: string } | { email: string; code: string }): Promise<void> {
    this.busy.set(true);
    this.errors.clear();
    try {
      await this.api.invoke(verifyEmail, { body }, silentErrors());
      this.verified.set(true);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
