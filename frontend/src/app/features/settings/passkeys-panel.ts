import { WhenPipe } from '../../core/ui/format.pipes';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { PasskeyDto } from '../../api/models';
import { Passkeys } from '../../core/auth/passkeys';
import { FormErrors } from '../auth/form-errors';
import { SettingsStore } from './settings.store';
import { Skeleton } from '../../core/ui/skeleton';

/** The account's passkeys (name, added, last used): add one with a name, rename, remove. */
@Component({
  selector: 'cv-passkeys-panel',
  imports: [Skeleton, WhenPipe, FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p i18n>
      A passkey signs you in with your fingerprint, face or device PIN instead of a password, and can confirm withdrawals
      instead of a two-factor code.
    </p>
    @if (!supported) {
      <p i18n class="notice" data-testid="passkeys-unsupported">This browser cannot use passkeys. You can still manage the ones you have.</p>
    }
    @if (store.passkeys(); as list) {
      <ul class="passkeys" aria-label="Your passkeys" i18n-aria-label>
        @for (p of list; track p.id) {
          <li data-testid="passkey-item">
            @if (renaming() === p.id) {
              <form class="rename" (ngSubmit)="saveName(p)">
                <mat-form-field subscriptSizing="dynamic">
                  <mat-label i18n>New name for {{ p.name }}</mat-label>
                  <input matInput name="rename" maxlength="64" required [(ngModel)]="newName" />
                  @if (rowErrors.fields()['name']; as m) { <mat-hint class="error-text">{{ m }}</mat-hint> }
                </mat-form-field>
                <div class="actions">
                  <button i18n mat-flat-button type="submit" [disabled]="busy() === p.id">Save name</button>
                  <button i18n mat-button type="button" (click)="renaming.set(null)">Cancel</button>
                </div>
              </form>
            } @else {
              <div class="name"><strong>{{ p.name }}</strong></div>
              @if (p.lastUsedAt; as used) {
                <div i18n class="muted small">Added {{ p.createdAt | when // i18n(ph="added") }} · Last used {{ used | when // i18n(ph="lastUsed") }}</div>
              } @else {
                <div i18n class="muted small">Added {{ p.createdAt | when // i18n(ph="added") }} · Last used never</div>
              }
              <div class="actions">
                <button i18n mat-stroked-button type="button" [attr.aria-label]="renameLabel(p)" (click)="startRename(p)">Rename</button>
                <button i18n mat-stroked-button type="button" [attr.aria-label]="removeLabel(p)" [disabled]="busy() === p.id" (click)="remove(p)">
                  Remove
                </button>
              </div>
            }
          </li>
        } @empty {
          <li i18n class="muted" data-testid="passkeys-empty">No passkeys yet.</li>
        }
      </ul>
      @if (rowErrors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
      @if (done(); as m) { <p role="status">{{ m }}</p> }
      @if (supported) {
        <form class="form" #addForm="ngForm" (ngSubmit)="add(addForm)">
          <mat-form-field>
            <mat-label i18n>Passkey name</mat-label>
            <input matInput name="passkeyName" maxlength="64" required autocomplete="off" [(ngModel)]="name" />
            @if (errors.fields()['name']; as m) {
              <mat-hint class="error-text">{{ m }}</mat-hint>
            } @else {
              <mat-hint i18n>So you can tell it apart, e.g. "Work laptop"</mat-hint>
            }
          </mat-form-field>
          @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
          <div><button i18n mat-flat-button type="submit" [disabled]="busy() === 'add'">Add a passkey</button></div>
        </form>
      }
    } @else {
      <cv-skeleton shape="lines" [count]="2" />
    }
  `,
  styles: `
    .passkeys {
      list-style: none;
      padding: 0;
      margin: 0 0 16px;
      max-width: 560px;
    }
    .passkeys li {
      padding: 12px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      overflow-wrap: anywhere;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
      margin-top: 8px;
    }
    .small {
      font: var(--mat-sys-body-small);
    }
    .rename {
      display: flex;
      flex-direction: column;
      max-width: 420px;
    }
    .notice {
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container);
      max-width: 560px;
    }
  `,
})
export class PasskeysPanel {
  protected readonly store = inject(SettingsStore);
  protected readonly supported = inject(Passkeys).supported();
  protected readonly busy = signal<string | null>(null);
  protected readonly renaming = signal<string | null>(null);
  protected readonly done = signal<string | null>(null);
  protected readonly errors = new FormErrors();
  protected readonly rowErrors = new FormErrors();
  protected name = '';
  protected newName = '';

  protected renameLabel(p: PasskeyDto): string {
    return $localize`Rename passkey ${p.name}:name:`;
  }

  protected removeLabel(p: PasskeyDto): string {
    return $localize`Remove passkey ${p.name}:name:`;
  }

  protected async add(form: NgForm): Promise<void> {
    this.errors.clear();
    this.done.set(null);
    const name = this.name.trim();
    if (!name) {
      this.errors.setField('name', $localize`Give the passkey a name`);
      return;
    }
    this.busy.set('add');
    try {
      const p = await this.store.addPasskey(name);
      // Empty again, and not "touched": no required-field error on a form just used.
      form.resetForm({ passkeyName: '' });
      this.done.set($localize`Passkey "${p.name}:name:" added.`);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(null);
    }
  }

  protected startRename(p: PasskeyDto): void {
    this.rowErrors.clear();
    this.done.set(null);
    this.newName = p.name;
    this.renaming.set(p.id);
  }

  protected async saveName(p: PasskeyDto): Promise<void> {
    this.rowErrors.clear();
    this.busy.set(p.id);
    try {
      await this.store.renamePasskey(p.id, this.newName.trim());
      this.renaming.set(null);
      this.done.set($localize`Passkey renamed.`);
    } catch (err) {
      this.rowErrors.set(err);
    } finally {
      this.busy.set(null);
    }
  }

  protected async remove(p: PasskeyDto): Promise<void> {
    this.rowErrors.clear();
    this.done.set(null);
    this.busy.set(p.id);
    try {
      await this.store.removePasskey(p.id);
      this.done.set($localize`Passkey "${p.name}:name:" removed.`);
    } catch (err) {
      this.rowErrors.set(err);
    } finally {
      this.busy.set(null);
    }
  }
}
