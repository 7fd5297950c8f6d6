import { WhenPipe } from '../../core/ui/format.pipes';
import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { freezeAccount } from '../../api/fn/auth/freeze-account';
import { previewFreeze } from '../../api/fn/auth/preview-freeze';
import type { SecurityEventDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';
import { FormErrors } from '../auth/form-errors';
import { eventOrigin, removedText } from './security-event-labels';

/**
 * Opened from the "This wasn't me" link of a security email (`/security/freeze?token=…`).
 * Opening it changes nothing (mail scanners open links): it shows what the
 * link is about, and only the explicit "Freeze my account" button acts.
 */
@Component({
  selector: 'cv-freeze-page',
  imports: [WhenPipe, MatButtonModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="auth-card">
      <h1 i18n>This wasn't me</h1>
      @switch (state()) {
        @case ('checking') {
          <p i18n>Checking your link…</p>
        }
        @case ('invalid') {
          <p i18n class="error-text" role="alert">This link is invalid, already used or expired.</p>
          <p i18n>If someone else may be using your account, <a routerLink="/forgot-password">reset your password by email</a>: it signs out every session.</p>
        }
        @case ('done') {
          <div role="status">
            <p><strong i18n>Your account is frozen.</strong> {{ message() }}</p>
            @if (removed().length) {
              <p i18n>Removed because they were added after the event you reported: {{ removed().join(', ') // i18n(ph="items") }}.</p>
            }
          </div>
          <p i18n>To get your account back, <a routerLink="/forgot-password">reset your password by email</a>. Withdrawals stay on hold for a while after that, to protect you.</p>
        }
        @default {
          @if (event(); as e) {
            <p i18n>We emailed you about this:</p>
            <dl class="event" data-testid="freeze-event">
              <dt i18n>What</dt>
              <dd>{{ e.title }}</dd>
              <dt i18n>When</dt>
              <dd>{{ e.createdAt | when }}</dd>
              <dt i18n>From</dt>
              <dd>{{ origin(e) }}</dd>
            </dl>
          }
          <p i18n>If this wasn't you, freeze your account now. Freezing:</p>
          <ul>
            <li i18n>signs out every session, on every device;</li>
            <li i18n>stops withdrawals and security changes;</li>
            <li i18n>removes any two-factor authenticator added since this event.</li>
          </ul>
          <p i18n>You then get the account back by resetting your password by email.</p>
          @if (errors.message(); as m) {
            <p class="error-text" role="alert">{{ m }}</p>
          }
          <div class="actions">
            <button i18n mat-flat-button type="button" [disabled]="busy()" (click)="freeze()">Freeze my account</button>
            <a i18n mat-button routerLink="/markets">It was me</a>
          </div>
        }
      }
    </div>
  `,
  styles: `
    .event {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 16px;
      overflow-wrap: anywhere;
    }
    .event dt {
      font-weight: 600;
    }
    .event dd {
      margin: 0;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
  `,
})
export class FreezePage implements OnInit {
  private readonly api = inject(Api);
  readonly token = input<string>();
  protected readonly state = signal<'checking' | 'invalid' | 'ready' | 'done'>('checking');
  protected readonly event = signal<SecurityEventDto | null>(null);
  protected readonly message = signal('');
  protected readonly removed = signal<string[]>([]);
  protected readonly busy = signal(false);
  protected readonly errors = new FormErrors();
  protected readonly origin = eventOrigin;

  async ngOnInit(): Promise<void> {
    const token = this.token();
    if (!token) {
      this.state.set('invalid');
      return;
    }
    try {
      const res = await this.api.invoke(previewFreeze, { body: { token } }, silentErrors());
      this.event.set(res.event ?? null);
      this.state.set(res.valid ? 'ready' : 'invalid');
    } catch {
      this.state.set('invalid');
    }
  }

  protected async freeze(): Promise<void> {
    this.busy.set(true);
    this.errors.clear();
    try {
      const res = await this.api.invoke(freezeAccount, { body: { token: this.token() ?? '' } }, silentErrors());
      this.message.set(res.message);
      this.removed.set(res.removed.map(removedText));
      this.state.set('done');
    } catch (err) {
      const e = this.errors.set(err);
      if (e.code === 'FREEZE_LINK_INVALID') this.state.set('invalid');
    } finally {
      this.busy.set(false);
    }
  }
}
