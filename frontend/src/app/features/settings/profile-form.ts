import { WhenPipe } from '../../core/ui/format.pipes';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { UpdateProfileDtoConstraints } from '../../api/constraints';
import type { UserRole } from '../../api/models';
import { SCHEMA_FIELDS, fieldRule, readyToSend } from '../../core/forms/schema-validation';
import { SessionStore } from '../../core/auth/session.store';
import { FormErrors } from '../auth/form-errors';
import { SettingsStore } from './settings.store';

/** The account's role as shown on the profile (the API's values are `user` and `admin`). */
const ROLE_LABELS: Record<UserRole, string> = {
  user: $localize`:account role:user`,
  admin: $localize`:account role:admin`,
};

@Component({
  selector: 'cv-profile-form',
  imports: [FormsModule, SCHEMA_FIELDS, WhenPipe, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (session.user(); as u) {
      <dl class="facts">
        <dt i18n>Email</dt>
        <dd>
          {{ u.email }}
          @if (u.emailVerified) {
            <ng-container i18n="email address status">(verified)</ng-container>
          } @else {
            <ng-container i18n="email address status">(not verified)</ng-container>
          }
        </dd>
        <dt i18n>Role</dt>
        <dd>{{ roleLabel(u.role) }}</dd>
        <dt i18n>Member since</dt>
        <dd>{{ u.createdAt | when: 'date' }}</dd>
      </dl>
    }
    <form class="form" #f="ngForm" (ngSubmit)="save(f)">
      <mat-form-field subscriptSizing="dynamic">
        <mat-label i18n>Name</mat-label>
        <input matInput name="name" autocomplete="name" required #nameModel="ngModel" [cvField]="fields.name" [cvServerError]="errors.fields()['name']" [(ngModel)]="name" />
        <mat-error>{{ nameModel.errors | fieldError }}</mat-error>
      </mat-form-field>
      @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
      @if (saved()) { <p i18n role="status">Profile saved.</p> }
      <div><button i18n mat-flat-button type="submit" [disabled]="busy()">Save profile</button></div>
    </form>
  `,
  styles: `
    .facts {
      display: grid;
      grid-template-columns: auto minmax(0, 1fr);
      gap: 6px 12px;
      dt {
        color: var(--mat-sys-on-surface-variant);
      }
      dd {
        margin: 0;
      }
    }
  `,
})
export class ProfileForm {
  protected readonly session = inject(SessionStore);
  private readonly store = inject(SettingsStore);
  protected name = this.session.user()?.name ?? '';
  protected readonly busy = signal(false);
  protected readonly saved = signal(false);
  protected readonly errors = new FormErrors(['name']);
  /** The API's rule for the name, and how messages name it. */
  protected readonly fields = {
    name: fieldRule(UpdateProfileDtoConstraints.name, { label: $localize`:A field named in messages like "Enter a name of 2 to 100 characters":a name` }),
  };

  protected roleLabel(role: UserRole): string {
    return ROLE_LABELS[role] ?? role;
  }

  protected async save(form: NgForm): Promise<void> {
    this.saved.set(false);
    this.errors.clear();
    if (!readyToSend(form)) return;
    this.busy.set(true);
    try {
      await this.store.updateProfile(this.name.trim());
      this.saved.set(true);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
