import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { signup } from '../../api/fn/auth/signup';
import { silentErrors } from '../../core/http/http-context';
import { FormErrors } from './form-errors';

@Component({
  selector: 'cv-signup-page',
  imports: [FormsModule, RouterLink, MatFormFieldModule, MatInputModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="auth-card">
      <h1 i18n>Create your account</h1>
      <form class="form" (ngSubmit)="submit()">
        <mat-form-field>
          <mat-label i18n>Name</mat-label>
          <input matInput name="name" autocomplete="name" required [(ngModel)]="name" />
          @if (errors.fields()['name']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
        </mat-form-field>
        <mat-form-field>
          <mat-label i18n>Email</mat-label>
          <input matInput type="email" name="email" autocomplete="email" required [(ngModel)]="email" />
          @if (errors.fields()['email']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
        </mat-form-field>
        <mat-form-field>
          <mat-label i18n>Password</mat-label>
          <input matInput type="password" name="password" autocomplete="new-password" required [(ngModel)]="password" />
          @if (errors.fields()['password']; as m) {
            <mat-hint class="error-text">{{ m }}</mat-hint>
          } @else {
            <mat-hint i18n>8–128 characters with a letter and a digit</mat-hint>
          }
        </mat-form-field>
        @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
        <button i18n mat-flat-button type="submit" [disabled]="busy()">Sign up</button>
      </form>
      <p i18n>Already registered? <a routerLink="/login">Log in</a></p>
    </div>
  `,
})
export class SignupPage {
  private readonly api = inject(Api);
  private readonly router = inject(Router);
  protected name = '';
  protected email = '';
  protected password = '';
  protected readonly busy = signal(false);
  protected readonly errors = new FormErrors();

  async submit(): Promise<void> {
    this.busy.set(true);
    this.errors.clear();
    try {
      await this.api.invoke(signup, { body: { name: this.name, email: this.email, password: this.password } }, silentErrors());
      await this.router.navigate(['/verify-email'], { queryParams: { email: this.email } });
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
