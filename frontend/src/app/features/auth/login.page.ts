import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { login } from '../../api/fn/auth/login';
import { loginWithPasskey } from '../../api/fn/auth/login-with-passkey';
import type { LoginDto, UserDto } from '../../api/models';
import { Passkeys } from '../../core/auth/passkeys';
import { silentErrors } from '../../core/http/http-context';
import { SessionStore } from '../../core/auth/session.store';
import { FormErrors } from './form-errors';

@Component({
  selector: 'cv-login-page',
  imports: [FormsModule, RouterLink, MatFormFieldModule, MatInputModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="auth-card">
      <h1 i18n>Log in</h1>
      <form class="form" (ngSubmit)="submit()">
        @if (!needsCode()) {
          <mat-form-field>
            <mat-label i18n>Email</mat-label>
            <input matInput type="email" name="email" autocomplete="email" required [(ngModel)]="email" />
            @if (errors.fields()['email']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
          </mat-form-field>
          <mat-form-field>
            <mat-label i18n>Password</mat-label>
            <input matInput type="password" name="password" autocomplete="current-password" required [(ngModel)]="password" />
            @if (errors.fields()['password']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
          </mat-form-field>
        } @else {
          @if (passkeysSupported) {
            <p i18n>Enter the 6-digit code from your authenticator app, or one of your backup codes, or use a passkey.</p>
          } @else {
            <p i18n>Enter the 6-digit code from your authenticator app, or one of your backup codes.</p>
          }
          <mat-form-field>
            <mat-label i18n>Two-factor code</mat-label>
            <input matInput name="code" inputmode="numeric" autocomplete="one-time-code" [(ngModel)]="code" />
          </mat-form-field>
        }
        @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
        @if (frozen()) {
          <p i18n data-testid="login-frozen">
            <a routerLink="/forgot-password">Reset your password by email</a> to unfreeze your account. Every session was signed out, and any
            authenticator added since the activity you reported was removed.
          </p>
        }
        @if (unverified()) {
          <p><a i18n [routerLink]="['/verify-email']" [queryParams]="{ email: email }">Verify your email with the code we sent</a></p>
        }
        <div class="buttons">
          <button mat-flat-button type="submit" [disabled]="busy()">
            @if (needsCode()) {
              <ng-container i18n>Verify and log in</ng-container>
            } @else {
              <ng-container i18n>Log in</ng-container>
            }
          </button>
          @if (passkeysSupported) {
            @if (needsCode()) {
              <button i18n mat-stroked-button type="button" [disabled]="busy()" (click)="secondFactorWithPasskey()">Use a passkey instead</button>
            } @else {
              <button i18n mat-stroked-button type="button" [disabled]="busy()" (click)="signInWithPasskey()">Sign in with a passkey</button>
            }
          }
        </div>
      </form>
      <p><a i18n routerLink="/forgot-password">Forgot password?</a> · <a i18n routerLink="/signup">Create an account</a></p>
    </div>
  `,
  styles: `
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
})
export class LoginPage {
  private readonly api = inject(Api);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);
  private readonly passkeys = inject(Passkeys);
  readonly returnUrl = input<string>();
  protected readonly passkeysSupported = this.passkeys.supported();

  protected email = '';
  protected password = '';
  protected code = '';
  protected readonly needsCode = signal(false);
  protected readonly unverified = signal(false);
  /** The owner froze the account ("This wasn't me"): only a password reset by email brings it back. */
  protected readonly frozen = signal(false);
  protected readonly busy = signal(false);
  protected readonly errors = new FormErrors();

  submit(): Promise<void> {
    return this.attempt(async () => {
      const body: LoginDto = { email: this.email, password: this.password, ...(this.needsCode() ? { twoFactorCode: this.code.trim() } : {}) };
      return this.api.invoke(login, { body }, silentErrors());
    });
  }

  /** A passkey alone: no email, no password (the browser offers the passkeys it holds for this site). */
  signInWithPasskey(): Promise<void> {
    return this.attempt(async () => {
      const credential = await this.passkeys.signInAssertion();
      return this.api.invoke(loginWithPasskey, { body: { credential } }, silentErrors());
    });
  }

  /** The second step of a password sign-in with a passkey instead of the code. */
  secondFactorWithPasskey(): Promise<void> {
    return this.attempt(async () => {
      const passkey = await this.passkeys.signInAssertion();
      return this.api.invoke(login, { body: { email: this.email, password: this.password, passkey } }, silentErrors());
    });
  }

  private async attempt(signIn: () => Promise<{ user: UserDto }>): Promise<void> {
    this.busy.set(true);
    this.errors.clear();
    this.unverified.set(false);
    this.frozen.set(false);
    try {
      const res = await signIn();
      this.session.setUser(res.user);
      // An admin without two-factor enrols first: the back office needs it (they keep the role meanwhile).
      if (res.user.role === 'admin' && !res.user.twoFactorEnabled) {
        await this.router.navigate(['/settings'], { fragment: 'two-factor' });
        return;
      }
      const target = this.returnUrl();
      await this.router.navigateByUrl(target && target.startsWith('/') && !target.startsWith('//') ? target : '/dashboard');
    } catch (err) {
      const e = this.errors.set(err);
      if (e.code === 'TWO_FACTOR_REQUIRED') {
        this.needsCode.set(true);
        this.errors.clear();
      } else if (e.code === 'EMAIL_NOT_VERIFIED') {
        this.unverified.set(true);
      } else if (e.code === 'ACCOUNT_FROZEN') {
        this.frozen.set(true);
      }
    } finally {
      this.busy.set(false);
    }
  }
}
