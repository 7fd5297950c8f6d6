import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ChangeEmailDtoConstraints } from '../../api/constraints';
import { SessionStore } from '../../core/auth/session.store';
import { SCHEMA_FIELDS, fieldRule, readyToSend } from '../../core/forms/schema-validation';
import { FormErrors } from '../auth/form-errors';
import { SettingsStore } from './settings.store';

/** Asks to change the sign-in address: a link goes to the new one, which completes the change; the current one is told. */
@Component({
  selector: 'cv-email-form',
  imports: [FormsModule, SCHEMA_FIELDS, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="form" #f="ngForm" (ngSubmit)="submit(f)">
      <p i18n>
        Your sign-in address is <strong>{{ session.user()?.email }}</strong>. To change it, enter the new address: we send it a link that
        completes the change, and tell your current address. You will be asked to confirm it is you first.
      </p>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label i18n>New email address</mat-label>
        <input matInput type="email" name="newEmail" autocomplete="email" required #emailModel="ngModel"
          [cvField]="fields.newEmail" [cvServerError]="errors.fields()['newEmail']" [(ngModel)]="newEmail" />
        <mat-error>{{ emailModel.errors | fieldError }}</mat-error>
      </mat-form-field>
      @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
      @if (done(); as m) { <p role="status" data-testid="email-change-sent">{{ m }}</p> }
      <div><button i18n mat-flat-button type="submit" [disabled]="busy()">Change email</button></div>
    </form>
  `,
})
export class EmailForm {
  protected readonly session = inject(SessionStore);
  private readonly store = inject(SettingsStore);
  protected newEmail = '';
  protected readonly busy = signal(false);
  protected readonly done = signal<string | null>(null);
  protected readonly errors = new FormErrors(['newEmail']);
  /** The API's rule for the address, and how messages name it. */
  protected readonly fields = {
    newEmail: fieldRule(ChangeEmailDtoConstraints.newEmail, { label: $localize`the new address`, missing: $localize`Enter the new address` }),
  };

  protected async submit(form: NgForm): Promise<void> {
    this.done.set(null);
    this.errors.clear();
    if (!readyToSend(form)) return;
    const newEmail = this.newEmail.trim();
    this.busy.set(true);
    try {
      const message = await this.store.changeEmail(newEmail);
      form.resetForm();
      this.done.set(message);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
