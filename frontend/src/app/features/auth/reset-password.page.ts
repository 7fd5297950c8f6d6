import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { ResetPasswordDtoConstraints } from '../../api/constraints';
import { resetPassword } from '../../api/fn/auth/reset-password';
import { validateResetToken } from '../../api/fn/auth/validate-reset-token';
import { SCHEMA_FIELDS, fieldRule, readyToSend } from '../../core/forms/schema-validation';
import { silentErrors } from '../../core/http/http-context';
import { FormErrors } from './form-errors';

/** Opened from the email link `/reset-password?token=…`. */
@Component({
  selector: 'cv-reset-password-page',
  imports: [FormsModule, SCHEMA_FIELDS, RouterLink, MatFormFieldModule, MatInputModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="auth-card">
      <h1 i18n>Choose a new password</h1>
      @switch (state()) {
        @case ('checking') { <p i18n>Checking your link…</p> }
        @case ('invalid') {
          <p i18n class="error-text">This link is invalid or has expired.</p>
          <p><a i18n routerLink="/forgot-password">Ask for a new one</a></p>
        }
        @case ('done') { <p i18n>Your password was changed and every session was signed out. <a routerLink="/login">Log in</a></p> }
        @default {
          <form class="form" #f="ngForm" (ngSubmit)="submit(f)">
            <mat-form-field subscriptSizing="dynamic">
              <mat-label i18n>New password</mat-label>
              <input matInput type="password" name="password" autocomplete="new-password" required #passwordModel="ngModel"
                [cvField]="fields.newPassword" [cvServerError]="errors.fields()['newPassword']" [(ngModel)]="password" />
              <mat-error>{{ passwordModel.errors | fieldError }}</mat-error>
              <mat-hint i18n>8–128 characters with a letter and a digit</mat-hint>
            </mat-form-field>
            @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
            <button i18n mat-flat-button type="submit" [disabled]="busy()">Set password</button>
          </form>
        }
      }
    </div>
  `,
})
export class ResetPasswordPage implements OnInit {
  private readonly api = inject(Api);
  readonly token = input<string>();
  protected password = '';
  protected readonly state = signal<'checking' | 'invalid' | 'ready' | 'done'>('checking');
  protected readonly busy = signal(false);
  protected readonly errors = new FormErrors(['newPassword']);
  /** The API's rule for the new password, and how messages name it. */
  protected readonly fields = {
    newPassword: fieldRule(ResetPasswordDtoConstraints.newPassword, { label: $localize`:A field named in messages like "Enter a new password":a new password` }),
  };

  async ngOnInit(): Promise<void> {
    const token = this.token();
    if (!token) {
      this.state.set('invalid');
      return;
    }
    try {
      const res = await this.api.invoke(validateResetToken, { token }, silentErrors());
      this.state.set(res.valid ? 'ready' : 'invalid');
    } catch {
      this.state.set('invalid');
    }
  }

  async submit(form: NgForm): Promise<void> {
    this.errors.clear();
    if (!readyToSend(form)) return;
    this.busy.set(true);
    try {
      await this.api.invoke(resetPassword, { body: { token: this.token() ?? '', newPassword: this.password } }, silentErrors());
      this.state.set('done');
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
