import { WhenPipe } from '../../core/ui/format.pipes';
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { Api } from '../../api/api';
import { confirmWithdrawalAddress } from '../../api/fn/wallet/confirm-withdrawal-address';
import type { WithdrawalAddressDto } from '../../api/models';
import { silentErrors } from '../../core/http/http-context';
import { FormErrors } from '../auth/form-errors';

/**
 * The page the address confirmation email links to. Opening it changes
 * nothing (mail scanners open links): only the button sends the POST.
 * No sign-in needed: the link's token is the proof.
 */
@Component({
  selector: 'cv-confirm-address-page',
  imports: [WhenPipe, MatButtonModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="auth-card">
      <h1 i18n>Confirm a withdrawal address</h1>
      @if (confirmed(); as a) {
        <p i18n role="status">
          "{{ a.label }}" ({{ a.asset }} on {{ a.network }}) is confirmed. It can receive withdrawals from {{ a.usableFrom | when }}.
        </p>
        <p><a i18n routerLink="/wallet/addresses">Go to your address book</a></p>
      } @else if (!token()) {
        <p i18n class="error-text" role="alert">This link has no confirmation token. Open the link from the email again.</p>
      } @else {
        <p i18n>Someone (we hope you) added a withdrawal address to your CryptoVault account. Check the address in the email.</p>
        <p i18n>
          <strong>If you added it</strong>, confirm it below. <strong>If you did not</strong>, do not confirm: change your password now,
          because someone else is signed in to your account.
        </p>
        @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
        <button i18n mat-flat-button type="button" (click)="confirm()" [disabled]="busy()">Confirm address</button>
      }
    </div>
  `,
})
export class ConfirmAddressPage {
  private readonly api = inject(Api);
  readonly token = input<string>();
  protected readonly busy = signal(false);
  protected readonly confirmed = signal<WithdrawalAddressDto | null>(null);
  protected readonly errors = new FormErrors();

  protected async confirm(): Promise<void> {
    const token = this.token();
    if (!token) return;
    this.busy.set(true);
    this.errors.clear();
    try {
      const res = await this.api.invoke(confirmWithdrawalAddress, { body: { token } }, silentErrors());
      this.confirmed.set(res.address);
    } catch (err) {
      this.errors.set(err);
    } finally {
      this.busy.set(false);
    }
  }
}
