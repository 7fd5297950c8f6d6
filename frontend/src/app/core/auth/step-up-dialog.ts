import { ChangeDetectionStrategy, Component, type Injector, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import { Api } from '../../api/api';
import { stepUp } from '../../api/fn/auth/step-up';
import { ApiError } from '../http/api-error';
import { stepUpCall } from '../http/http-context';
import { Passkeys } from './passkeys';
import { SessionStore } from './session.store';

/** Which field an answer of POST /api/auth/step-up is about. */
const FIELD_OF: Record<string, 'password' | 'code'> = {
  INVALID_CREDENTIALS: 'password',
  TWO_FACTOR_INVALID: 'code',
  TWO_FACTOR_REQUIRED: 'code',
};

/**
 * "Confirm it is you": the password, plus a code when two-factor is on, or one
 * of the account's passkeys ("Use a passkey": a challenge from the passkeys
 * confirmation-options route, bound to this session), sent to
 * POST /api/auth/step-up through the SDK. Closes with true once this session is
 * stepped up; Cancel, Escape or a click outside close it with nothing (false).
 * A MatDialog: focus is trapped inside and returns where it was on close.
 */
@Component({
  selector: 'cv-step-up-dialog',
  imports: [FormsModule, MatDialogModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 i18n mat-dialog-title>Confirm it is you</h2>
    <form (ngSubmit)="submit()" novalidate>
      <mat-dialog-content>
        <p id="step-up-why">{{ why() }}</p>
        <mat-form-field class="field">
          <mat-label i18n>Password</mat-label>
          <input
            matInput
            type="password"
            name="password"
            autocomplete="current-password"
            required
            cdkFocusInitial
            aria-describedby="step-up-why"
            [(ngModel)]="password"
          />
          @if (fields()['password']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
        </mat-form-field>
        @if (twoFactor()) {
          <mat-form-field class="field">
            <mat-label i18n>Authenticator or backup code</mat-label>
            <input matInput name="code" autocomplete="one-time-code" required [(ngModel)]="code" />
            @if (fields()['code']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
          </mat-form-field>
        }
        @if (message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button i18n mat-button type="button" (click)="cancel()">Cancel</button>
        @if (passkeysSupported) {
          <button i18n mat-stroked-button type="button" [disabled]="busy()" (click)="usePasskey()">Use a passkey</button>
        }
        <button i18n mat-flat-button type="submit" [disabled]="busy()">Confirm</button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .field {
      width: 100%;
    }
  `,
})
export class StepUpDialog {
  private readonly api = inject(Api);
  private readonly ref = inject<MatDialogRef<StepUpDialog, boolean>>(MatDialogRef);
  private readonly passkeys = inject(Passkeys);
  protected readonly passkeysSupported = this.passkeys.supported();
  protected readonly twoFactor = signal(inject(SessionStore).user()?.twoFactorEnabled === true);
  protected readonly busy = signal(false);
  /** Why the dialog asks, and for what: the password, a code when 2FA is on, or a passkey where the browser has them. */
  protected readonly why = computed(() => {
    if (this.twoFactor()) {
      return this.passkeysSupported
        ? $localize`This change protects your account, so we ask for your password and a code from your authenticator app (or a backup code), or one of your passkeys. You will not be asked again for a few minutes.`
        : $localize`This change protects your account, so we ask for your password and a code from your authenticator app (or a backup code). You will not be asked again for a few minutes.`;
    }
    return this.passkeysSupported
      ? $localize`This change protects your account, so we ask for your password, or one of your passkeys. You will not be asked again for a few minutes.`
      : $localize`This change protects your account, so we ask for your password. You will not be asked again for a few minutes.`;
  });
  protected readonly message = signal<string | null>(null);
  protected readonly fields = signal<Record<string, string>>({});
  protected password = '';
  protected code = '';

  protected async submit(): Promise<void> {
    this.message.set(null);
    this.fields.set({});
    if (!this.password) {
      this.fields.set({ password: $localize`Enter your password` });
      return;
    }
    if (this.twoFactor() && !this.code.trim()) {
      this.fields.set({ code: $localize`Enter a code from your authenticator app or a backup code` });
      return;
    }
    this.busy.set(true);
    try {
      const code = this.code.trim();
      await this.api.invoke(stepUp, { body: { password: this.password, ...(this.twoFactor() && code ? { code } : {}) } }, stepUpCall());
      this.ref.close(true);
    } catch (err) {
      const e = ApiError.from(err);
      // The account's 2FA was turned on elsewhere since this page loaded: ask for the code too.
      if (e.code === 'TWO_FACTOR_REQUIRED') this.twoFactor.set(true);
      const field = FIELD_OF[e.code];
      if (field && !e.details.length) this.fields.set({ [field]: e.message });
      else {
        this.fields.set(e.fieldErrors);
        this.message.set(e.message);
      }
      this.code = '';
    } finally {
      this.busy.set(false);
    }
  }

  /** Steps up with one of the account's passkeys instead of password and code. */
  protected async usePasskey(): Promise<void> {
    this.message.set(null);
    this.fields.set({});
    this.busy.set(true);
    try {
      const passkey = await this.passkeys.confirmationAssertion();
      await this.api.invoke(stepUp, { body: { passkey } }, stepUpCall());
      this.ref.close(true);
    } catch (err) {
      const e = ApiError.from(err);
      // 409 INVALID_STATE from the options: the account has no passkey.
      this.message.set(e.code === 'INVALID_STATE' ? $localize`No passkey is registered on this account: use your password instead.` : e.message);
    } finally {
      this.busy.set(false);
    }
  }

  protected cancel(): void {
    this.ref.close(false);
  }
}

/** Opens the dialog (loaded with this module, on the first step-up) and answers whether the session is stepped up. */
export async function openStepUpDialog(injector: Injector): Promise<boolean> {
  const ref = injector.get(MatDialog).open<StepUpDialog, void, boolean>(StepUpDialog, {
    width: '420px',
    maxWidth: '92vw',
    autoFocus: 'first-tabbable',
    restoreFocus: true,
  });
  return (await firstValueFrom(ref.afterClosed())) === true;
}
