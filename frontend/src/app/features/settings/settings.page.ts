import { ChangeDetectionStrategy, Component, ElementRef, OnInit, afterNextRender, inject } from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { DisplayPreferences } from './display-preferences';
import { EmailForm } from './email-form';
import { PasskeysPanel } from './passkeys-panel';
import { PasswordForm } from './password-form';
import { ProfileForm } from './profile-form';
import { SessionsList } from './sessions-list';
import { SessionStore } from '../../core/auth/session.store';
import { SettingsStore } from './settings.store';
import { TwoFactorPanel } from './two-factor-panel';

@Component({
  selector: 'cv-settings-page',
  imports: [ProfileForm, DisplayPreferences, EmailForm, PasswordForm, TwoFactorPanel, PasskeysPanel, SessionsList, RouterLink],
  providers: [SettingsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <h1 i18n>Settings</h1>
      @if (session.isAdmin() && !session.user()?.twoFactorEnabled) {
        <p i18n class="notice" role="status" data-testid="admin-enrol">
          <strong>You are an admin.</strong> Turn on two-factor authentication below to use the back office: it stays closed
          to admins without it.
        </p>
      }
      <section aria-labelledby="profile-title">
        <h2 i18n id="profile-title">Profile</h2>
        <cv-profile-form />
      </section>
      <section id="display" aria-labelledby="display-title">
        <h2 i18n id="display-title">Language and currency</h2>
        <cv-display-preferences />
      </section>
      <section id="email" aria-labelledby="email-title">
        <h2 i18n id="email-title">Email address</h2>
        <cv-email-form />
      </section>
      <section id="two-factor" aria-labelledby="two-factor-title">
        <h2 i18n id="two-factor-title">Two-factor authentication</h2>
        <cv-two-factor-panel />
      </section>
      <section id="passkeys" aria-labelledby="passkeys-title">
        <h2 i18n id="passkeys-title">Passkeys</h2>
        <cv-passkeys-panel />
      </section>
      <section aria-labelledby="password-title">
        <h2 i18n id="password-title">Password</h2>
        <cv-password-form />
      </section>
      <section aria-labelledby="sessions-title">
        <h2 i18n id="sessions-title">Active sessions</h2>
        <cv-sessions-list />
        <p i18n><a routerLink="/settings/activity">Account activity</a>: recent sign-ins and security changes.</p>
      </section>
      <section aria-labelledby="api-keys-title">
        <h2 i18n id="api-keys-title">API keys</h2>
        <p i18n><a routerLink="/settings/api-keys">API keys</a>: let your own programs read your account, trade or withdraw for you.</p>
      </section>
      <section aria-labelledby="your-data-title">
        <h2 i18n id="your-data-title">Your data</h2>
        <p i18n><a routerLink="/settings/data">Download my data or close my account</a>: everything we hold about you as a file, or closing your account for good.</p>
      </section>
    </div>
  `,
  styles: `
    section {
      margin-bottom: 32px;
    }
    .notice {
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
      max-width: 720px;
    }
  `,
})
export class SettingsPage implements OnInit {
  private readonly store = inject(SettingsStore);
  protected readonly session = inject(SessionStore);

  constructor() {
    // `/settings#two-factor` (the wallet's "turn on two-factor" link) scrolls to that section.
    const fragment = inject(ActivatedRoute).snapshot.fragment;
    const host = inject<ElementRef<HTMLElement>>(ElementRef);
    afterNextRender(() => {
      if (fragment) host.nativeElement.querySelector(`#${CSS.escape(fragment)}`)?.scrollIntoView();
    });
  }

  ngOnInit(): void {
    void this.store.loadTwoFactor().catch(() => undefined);
    void this.store.loadSessions().catch(() => undefined);
    void this.store.loadPasskeys().catch(() => undefined);
  }
}
