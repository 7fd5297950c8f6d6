import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { SignupDtoConstraints } from '../../api/constraints';
import { signup } from '../../api/fn/auth/signup';
import { SCHEMA_FIELDS, fieldRule, readyToSend } from '../../core/forms/schema-validation';
import { silentErrors } from '../../core/http/http-context';
import { FormErrors } from './form-errors';

@Component({
  selector: 'cv-signup-page',
  imports: [FormsModule, SCHEMA_FIELDS, RouterLink, MatFormFieldModule, MatInputModule, MatButtonModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="auth-card">
      <h1 i18n>Create your account</h1>
      <form class="form" #f="ngForm" (ngSubmit)="submit(f)">
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Name</mat-label>
          <input matInput name="name" autocomplete="name" required #nameModel="ngModel" [cvField]="fields.name" [cvServerError]="errors.fields()['name']" [(ngModel)]="name" />
          <mat-error>{{ nameModel.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Email</mat-label>
          <input matInput type="email" name="email" autocomplete="email" required #emailModel="ngModel" [cvField]="fields.email" [cvServerError]="errors.fields()['email']" [(ngModel)]="email" />
          <mat-error>{{ emailModel.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field subscriptSizing="dynamic">
          <mat-label i18n>Password</mat-label>
          <input matInput type="password" name="password" autocomplete="new-password" required #passwordModel="ngModel"
            [cvField]="fields.password" [cvServerError]="errors.fields()['password']" [(ngModel)]="password" />
          <mat-error>{{ passwordModel.errors | fieldError }}</mat-error>
          <mat-hint i18n>8–128 characters with a letter and a digit</mat-hint>
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
  protected readonly errors = new FormErrors(['name', 'email', 'password']);
  /** The API's rules for the fields, and how messages name them. */
  protected readonly fields = {
    name: fieldRule(SignupDtoConstraints.name, { label: $localize`:A field named in messages like "Enter a name of 2 to 100 characters":a name` }),
    email: fieldRule(SignupDtoConstraints.email, { label: $localize`an email address` }),
    password: fieldRule(SignupDtoConstraints.password, { label: $localize`:A field named in messages like "Enter a password":a password` }),
  };

  async submit(form: NgForm): Promise<void> {
    this.errors.clear();
    if (!readyToSend(form)) return;
    this.busy.set(true);
    const email = this.email.trim();
    try {
      await this.api.invoke(signup, { body: { name: this.name.trim(), email, password: this.password } }, silentErrors());
      await this.router.navigate(['/verify-email'], { queryParams: { email } });
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
