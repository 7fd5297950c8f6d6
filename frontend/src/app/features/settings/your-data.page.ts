import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { CloseAccountDtoConstraints } from '../../api/constraints';
import type { AccountExportDto } from '../../api/models';
import { SessionStore } from '../../core/auth/session.store';
import { ApiError } from '../../core/http/api-error';
import { SCHEMA_FIELDS, fieldRule, readyToSend } from '../../core/forms/schema-validation';
import { AmountComponent, TimeComponent } from '../../core/ui/format.pipes';
import { Skeleton } from '../../core/ui/skeleton';
import { FormErrors } from '../auth/form-errors';
import { YourDataStore } from './your-data.store';

/** How often the list is read again while an export is being made. */
const POLL_MS = 2_000;

/** Settings → Your data: "Download my data" (exports made in the background) and closing the account. */
@Component({
  selector: 'cv-your-data-page',
  imports: [FormsModule, SCHEMA_FIELDS, MatButtonModule, MatFormFieldModule, MatInputModule, RouterLink, TimeComponent, AmountComponent, Skeleton],
  providers: [YourDataStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <p><a i18n routerLink="/settings">← Settings</a></p>
      <h1 i18n>Your data</h1>
      @if (closedAt()) {
        <section class="closed" role="status" data-testid="account-closed">
          <h2 i18n>Your account is closed</h2>
          <p i18n>
            You have been signed out everywhere and your personal data has been erased. Your transaction records are kept for as long
            as the law requires, without your name.
          </p>
          <p><a i18n routerLink="/">Go to the home page</a></p>
        </section>
      } @else {
        <section aria-labelledby="export-title" data-testid="data-export">
          <h2 i18n id="export-title">Download my data</h2>
          <p i18n>
            Everything we hold about you (your profile, sign-ins, orders, transactions, alerts and more) as one zip file: the data as
            JSON and a CSV file for each kind of record. Passwords, two-factor secrets and other secret material are never included.
          </p>
          <p i18n class="muted">
            We prepare it in the background and email you when it is ready. You can then download it here for {{ keptDays() }} days.
            You will be asked to confirm it is you.
          </p>
          <p>
            <button i18n mat-flat-button type="button" data-testid="request-export" [disabled]="busy() || store.working()" (click)="requestExport()">
              Request my data
            </button>
          </p>
          @if (exportMessage(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
          @if (store.exports(); as list) {
            <ul class="exports" aria-live="polite">
              @for (e of list.items; track e.id) {
                <li data-testid="export-item">
                  <div class="when"><cv-time [at]="e.createdAt" format="datetime" /></div>
                  <div class="state">
                    @switch (e.status) {
                      @case ('pending') { <span i18n>Waiting to be prepared</span> }
                      @case ('running') { <span i18n>Being prepared</span> }
                      @case ('ready') {
                        <span i18n>Ready until <cv-time [at]="e.expiresAt" format="datetime" /></span>
                      }
                      @case ('failed') { <span i18n>It could not be prepared: request a new one</span> }
                      @case ('expired') { <span i18n>Expired</span> }
                    }
                  </div>
                  @if (e.status === 'pending' || e.status === 'running') {
                    <progress max="100" [value]="e.progress" [attr.aria-label]="progressLabel" data-testid="export-progress"></progress>
                  }
                  @if (e.status === 'ready') {
                    <button i18n mat-stroked-button type="button" data-testid="download-export" [disabled]="busy()" (click)="download(e)">Download</button>
                  }
                </li>
              } @empty {
                <li i18n class="muted">You have not requested your data yet.</li>
              }
            </ul>
          } @else {
            <cv-skeleton [count]="2" />
          }
        </section>

        <section aria-labelledby="close-title" data-testid="close-account">
          <h2 i18n id="close-title">Close account</h2>
          <p i18n>
            You can close your account only when nothing is left in it: no balance in any asset, neither available nor held, and no
            open orders, withdrawals or deposits. Withdraw or sell everything first.
          </p>
          <p i18n>
            Closing is final. You are signed out everywhere and we erase or pseudonymise your personal data: your name, email address,
            address book, passkeys, sessions and notifications. Your transaction records (the ledger, orders, deposits and
            withdrawals) are kept for as long as the law requires, without your name.
          </p>
          @if (store.closure(); as c) {
            @if (c.canClose) {
              <p i18n role="status" data-testid="can-close">Nothing is left in your account: you can close it.</p>
            } @else {
              <p i18n>Before you can close your account:</p>
              <ul class="blockers" data-testid="closure-blockers">
                @for (b of c.blockers; track $index) {
                  <li>
                    @switch (b.kind) {
                      @case ('balance') {
                        <span i18n>Withdraw or sell your {{ b.asset }} balance: <cv-amount [value]="b.available ?? '0'" [asset]="b.asset ?? ''" /> available, <cv-amount [value]="b.locked ?? '0'" [asset]="b.asset ?? ''" /> held</span>
                      }
                      @case ('orders') { <span i18n>Cancel your open orders ({{ b.count }})</span> }
                      @case ('withdrawals') { <span i18n>Wait for your withdrawals to complete, or cancel them ({{ b.count }})</span> }
                      @case ('deposits') { <span i18n>Wait for your pending deposits to be credited or to expire ({{ b.count }})</span> }
                    }
                  </li>
                }
              </ul>
            }
            <form class="form" #f="ngForm" (ngSubmit)="close(f)">
              <mat-form-field subscriptSizing="dynamic">
                <mat-label i18n>Type your email address to confirm</mat-label>
                <input matInput type="email" name="confirmEmail" autocomplete="off" required #emailModel="ngModel" data-testid="confirm-email"
                  [cvField]="fields.confirmEmail" [cvServerError]="errors.fields()['confirmEmail']" [(ngModel)]="confirmEmail" />
                <mat-error>{{ emailModel.errors | fieldError }}</mat-error>
              </mat-form-field>
              @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
              <div>
                <button i18n mat-flat-button class="danger" type="submit" data-testid="close-account-button" [disabled]="busy() || !c.canClose">
                  Close my account
                </button>
              </div>
            </form>
          } @else {
            <cv-skeleton [count]="2" />
          }
        </section>
      }
    </div>
  `,
  styles: `
    section {
      margin-bottom: 32px;
      max-width: 720px;
    }
    .exports,
    .blockers {
      padding: 0;
      margin: 0 0 16px;
      list-style: none;
    }
    .exports li,
    .blockers li {
      display: flex;
      flex-wrap: wrap;
      gap: 8px 16px;
      align-items: center;
      padding: 10px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant, #ccc);
      overflow-wrap: anywhere;
    }
    .state {
      flex: 1 1 12em;
    }
    progress {
      width: 100%;
      max-width: 240px;
    }
    .danger {
      --mdc-filled-button-container-color: var(--mat-sys-error);
      --mdc-filled-button-label-text-color: var(--mat-sys-on-error);
      --mat-button-filled-container-color: var(--mat-sys-error);
      --mat-button-filled-label-text-color: var(--mat-sys-on-error);
    }
    mat-form-field {
      width: 100%;
      max-width: 420px;
    }
  `,
})
export class YourDataPage implements OnInit {
  protected readonly store = inject(YourDataStore);
  private readonly session = inject(SessionStore);
  protected readonly busy = signal(false);
  protected readonly exportMessage = signal<string | null>(null);
  protected readonly closedAt = signal<string | null>(null);
  protected readonly keptDays = (): number => this.store.exports()?.keptDays ?? 7;
  protected readonly progressLabel = $localize`Progress of the export`;
  protected confirmEmail = '';
  protected readonly errors = new FormErrors(['confirmEmail']);
  protected readonly fields = {
    confirmEmail: fieldRule(CloseAccountDtoConstraints.confirmEmail, {
      label: $localize`your email address`,
      missing: $localize`Type your email address to confirm`,
    }),
  };
  private poll: ReturnType<typeof setInterval> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopPolling());
  }

  ngOnInit(): void {
    void this.refreshExports();
    void this.store.loadClosure().catch(() => undefined);
  }

  protected async requestExport(): Promise<void> {
    this.exportMessage.set(null);
    this.busy.set(true);
    try {
      await this.store.requestExport();
      this.watch();
    } catch (err) {
      this.exportMessage.set(ApiError.from(err).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected async download(e: AccountExportDto): Promise<void> {
    this.exportMessage.set(null);
    this.busy.set(true);
    try {
      await this.store.download(e.id);
    } catch (err) {
      this.exportMessage.set(ApiError.from(err).message);
    } finally {
      this.busy.set(false);
    }
  }

  protected async close(form: NgForm): Promise<void> {
    this.errors.clear();
    if (!readyToSend(form)) return;
    this.busy.set(true);
    try {
      const closedAt = await this.store.close(this.confirmEmail.trim());
      this.stopPolling();
      this.closedAt.set(closedAt);
      this.session.user.set(null);
    } catch (err) {
      this.errors.set(err);
      // What blocks may have changed since the page was opened.
      void this.store.loadClosure().catch(() => undefined);
    } finally {
      this.busy.set(false);
    }
  }

  private async refreshExports(): Promise<void> {
    try {
      await this.store.loadExports();
      this.watch();
    } catch {
      /* the error interceptor has shown it */
    }
  }

  /** Polls while an export is being made; stops once none is. */
  private watch(): void {
    if (!this.store.working()) return this.stopPolling();
    this.poll ??= setInterval(() => {
      void this.store
        .loadExports()
        .then(() => {
          if (!this.store.working()) this.stopPolling();
        })
        .catch(() => undefined);
    }, POLL_MS);
  }

  private stopPolling(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
  }
}
