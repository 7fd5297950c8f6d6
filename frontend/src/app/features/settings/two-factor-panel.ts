import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { FormErrors } from '../auth/form-errors';
import { BackupCodes } from './backup-codes';
import { SettingsStore } from './settings.store';
import { Skeleton } from '../../core/ui/skeleton';

type Action = 'regenerate' | 'disable' | null;
const CODE_FIELDS = { TWO_FACTOR_INVALID: 'code' };

/** Two-factor status, setup (QR code and secret, confirmed by a code), backup codes and disabling (each after a step-up: the dialog asks). */
@Component({
  selector: 'cv-two-factor-panel',
  imports: [Skeleton, FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, BackupCodes],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (store.backupCodes(); as codes) {
      <cv-backup-codes [codes]="codes" (done)="store.dismissBackupCodes()" />
    }
    @if (store.twoFactor(); as tf) {
      @if (tf.enabled) {
        <p i18n data-testid="two-factor-status">
          <strong>Two-factor authentication is on.</strong>
          {tf.backupCodesRemaining, plural, =1 {1 backup code left.} other {{{ tf.backupCodesRemaining }} backup codes left.}}
        </p>
        <div class="actions">
          <button i18n mat-stroked-button type="button" [attr.aria-expanded]="action() === 'regenerate'" (click)="open('regenerate')">
            New backup codes
          </button>
          <button i18n mat-stroked-button type="button" [attr.aria-expanded]="action() === 'disable'" (click)="open('disable')">
            Turn off two-factor
          </button>
        </div>
        @if (action()) {
          <form class="form" (ngSubmit)="submitAction()">
            @if (action() === 'disable') {
              <p i18n>Withdrawals need two-factor to be on. You will be asked for your password and a current code first.</p>
            } @else {
              <p i18n>New codes replace all the old ones. You will be asked for your password and a current code first.</p>
            }
            @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
            <div class="actions">
              <button mat-flat-button type="submit" [disabled]="busy()">
                @if (action() === 'disable') {
                  <ng-container i18n>Turn off two-factor authentication</ng-container>
                } @else {
                  <ng-container i18n>Generate new backup codes</ng-container>
                }
              </button>
              <button i18n mat-button type="button" (click)="open(null)">Cancel</button>
            </div>
          </form>
        }
      } @else if (store.setup(); as s) {
        <p i18n>Scan this QR code with an authenticator app (Google Authenticator, Aegis, 1Password…).</p>
        <div class="setup">
          <img [src]="s.qrCodeDataUrl" alt="QR code to add CryptoVault to your authenticator app" i18n-alt width="200" height="200" />
          <div>
            <p i18n>Cannot scan it? Enter this secret key in the app instead:</p>
            <p><code class="secret" data-testid="totp-secret">{{ s.secret }}</code></p>
            <p i18n class="muted">Time-based, 6 digits, every 30 seconds.</p>
          </div>
        </div>
        <form class="form" (ngSubmit)="confirm()">
          <p i18n>Then enter the 6-digit code the app shows to turn two-factor on.</p>
          <mat-form-field>
            <mat-label i18n>6-digit code</mat-label>
            <input matInput name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required [(ngModel)]="code" />
            @if (errors.fields()['code']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
          </mat-form-field>
          @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
          <div class="actions">
            <button i18n mat-flat-button type="submit" [disabled]="busy()">Verify and turn on</button>
            <button i18n mat-button type="button" (click)="cancelSetup()">Cancel</button>
          </div>
        </form>
      } @else {
        <p i18n data-testid="two-factor-status">
          <strong>Two-factor authentication is off.</strong> Turn it on to protect your sign-in; withdrawals require it.
        </p>
        @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
        <button i18n mat-flat-button type="button" (click)="startSetup()" [disabled]="busy()">Set up two-factor authentication</button>
      }
    } @else {
      <cv-skeleton shape="lines" [count]="2" />
    }
  `,
  styles: `
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin-bottom: 8px;
    }
    .setup {
      display: flex;
      flex-wrap: wrap;
      gap: 16px;
      align-items: flex-start;
      img {
        background: #fff;
        padding: 8px;
        border-radius: 8px;
      }
    }
    .secret {
      font-size: 1.15em;
      letter-spacing: 0.05em;
      word-break: break-all;
      user-select: all;
    }
  `,
})
export class TwoFactorPanel {
  protected readonly store = inject(SettingsStore);
  protected readonly action = signal<Action>(null);
  protected readonly busy = signal(false);
  protected readonly errors = new FormErrors();
  protected code = '';

  protected open(action: Action): void {
    this.action.set(action);
    this.code = '';
    this.errors.clear();
  }

  protected startSetup(): Promise<void> {
    this.code = '';
    return this.run(() => this.store.startSetup());
  }

  protected cancelSetup(): void {
    this.errors.clear();
    this.store.cancelSetup();
  }

  protected confirm(): Promise<void> {
    return this.run(() => this.store.confirmSetup(this.code.trim()));
  }

  protected submitAction(): Promise<void> {
    return this.run(async () => {
      if (this.action() === 'disable') await this.store.disable();
      else await this.store.regenerateBackupCodes();
      this.open(null);
    });
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.errors.clear();
    try {
      await fn();
    } catch (err) {
      this.errors.set(err, CODE_FIELDS);
    } finally {
      this.busy.set(false);
    }
  }
}
