import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ChangePasswordDtoConstraints } from '../../api/constraints';
import { SCHEMA_FIELDS, fieldRule, readyToSend } from '../../core/forms/schema-validation';
import { FormErrors } from '../auth/form-errors';
import { SettingsStore } from './settings.store';

@Component({
  selector: 'cv-password-form',
  imports: [FormsModule, SCHEMA_FIELDS, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="form" #f="ngForm" (ngSubmit)="submit(f)">
      <p i18n class="muted">You will be asked to confirm it is you (your current password) before the change.</p>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label i18n>New password</mat-label>
        <input matInput type="password" name="newPassword" autocomplete="new-password" required #newModel="ngModel"
          [cvField]="fields.newPassword" [cvServerError]="errors.fields()['newPassword']" [(ngModel)]="newPassword" />
        <mat-error>{{ newModel.errors | fieldError }}</mat-error>
        <mat-hint i18n>8–128 characters with a letter and a digit</mat-hint>
      </mat-form-field>
      <mat-form-field subscriptSizing="dynamic">
        <mat-label i18n>Repeat new password</mat-label>
        <input matInput type="password" name="repeatPassword" autocomplete="new-password" required #repeatModel="ngModel"
          [cvField]="fields.repeatPassword" [cvServerError]="errors.fields()['repeatPassword']" [(ngModel)]="repeatPassword" />
        <mat-error>{{ repeatModel.errors | fieldError }}</mat-error>
      </mat-form-field>
      @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
      @if (done(); as m) { <p role="status">{{ m }}</p> }
      <div><button i18n mat-flat-button type="submit" [disabled]="busy()">Change password</button></div>
    </form>
  `,
})
export class PasswordForm {
  private readonly store = inject(SettingsStore);
  protected newPassword = '';
  protected repeatPassword = '';
  protected readonly busy = signal(false);
  protected readonly done = signal<string | null>(null);
  protected readonly errors = new FormErrors(['newPassword', 'repeatPassword']);
  /** The API's rule for the new password (the repeat is the client's own check), and how messages name them. */
  protected readonly fields = {
    newPassword: fieldRule(ChangePasswordDtoConstraints.newPassword, { label: $localize`:A field named in messages like "Enter a new password":a new password` }),
    // Not sent: only there to be typed (and compared on submit).
    repeatPassword: fieldRule(
      { type: 'string', required: true, format: 'password' },
      { label: $localize`:A field named in messages like "Enter the new password again":the new password again` },
    ),
  };

  protected async submit(form: NgForm): Promise<void> {
    this.done.set(null);
    this.errors.clear();
    if (!readyToSend(form)) return;
    if (this.newPassword !== this.repeatPassword) {
      this.errors.setField('repeatPassword', $localize`The two new passwords differ`);
      return;
    }
    this.busy.set(true);
    try {
      const message = await this.store.changePassword(this.newPassword);
      form.resetForm();
      this.done.set(message);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
