import { DisplayFormat } from '../../core/ui/format.pipes';
import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { FormsModule, NgForm } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { CreateWithdrawalAddressDtoConstraints } from '../../api/constraints';
import type { WithdrawalAddressDto } from '../../api/models';
import { SCHEMA_FIELDS, choiceRule, fieldRule, readyToSend } from '../../core/forms/schema-validation';
import { FormErrors } from '../auth/form-errors';
import { AddressBookStore, addressStatusText } from './address-book.store';
import { WalletStore } from './wallet.store';
import { CardTable } from '../../core/ui/card-table';
import { Skeleton } from '../../core/ui/skeleton';

/** Errors the API answers without `details`, shown on the field they are about. */
const CODE_FIELDS = { UNKNOWN_ASSET: 'asset', ALREADY_EXISTS: 'address' };

/**
 * The withdrawal address book: every withdrawal goes to an address saved here,
 * confirmed by the emailed link and past its hold. The allowlist lock forbids
 * adding addresses; turning it off takes effect only after the hold.
 */
@Component({
  selector: 'cv-address-book-page',
  imports: [Skeleton, CardTable, FormsModule, SCHEMA_FIELDS, RouterLink, MatButtonModule, MatFormFieldModule, MatInputModule, MatSelectModule],
  providers: [AddressBookStore, WalletStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <p><a i18n routerLink="/wallet">← Wallet</a></p>
      <h1 i18n>Withdrawal addresses</h1>
      <p i18n class="muted">
        Withdrawals go only to addresses saved here. A new address needs your confirmation by the link we email you, then
        {{ holdText() }} before its first use, so you have time to notice one you did not add.
      </p>

      @if (store.book(); as book) {
        <section aria-labelledby="lock-heading" class="lock">
          <h2 i18n id="lock-heading">Address book lock</h2>
          @if (book.lock.enabled) {
            <p data-testid="lock-status">
              <ng-container i18n><strong>Locked:</strong> no address can be added.</ng-container>
              @if (book.lock.disablesAt; as at) { <ng-container i18n>The lock turns off at {{ date(at) }}.</ng-container> }
            </p>
            @if (!book.lock.disablesAt) {
              <button i18n mat-stroked-button type="button" (click)="unlock()" [disabled]="busy() === 'lock'">Turn the lock off</button>
            } @else {
              <button i18n mat-stroked-button type="button" (click)="lock()" [disabled]="busy() === 'lock'">Keep it locked</button>
            }
          } @else {
            <p i18n data-testid="lock-status">Off: addresses can be added. Lock the book once your addresses are saved.</p>
            <button i18n mat-stroked-button type="button" (click)="lock()" [disabled]="busy() === 'lock'">Lock the address book</button>
          }
          @if (lockError(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
        </section>

        <h2 i18n>Saved addresses</h2>
        <div class="table-wrap">
          <table class="data" data-testid="addresses">
            <thead>
              <tr><th i18n>Label</th><th i18n>Asset</th><th i18n>Network</th><th i18n>Address</th><th i18n>Status</th><th><span i18n class="visually-hidden">Action</span></th></tr>
            </thead>
            <tbody>
              @for (a of book.items; track a.id) {
                <tr>
                  <td>{{ a.label }}</td>
                  <td>{{ a.asset }}</td>
                  <td>{{ a.network }}</td>
                  <td><code class="address">{{ a.address }}</code></td>
                  <td [attr.data-status]="a.status">{{ statusText(a) }}</td>
                  <td>
                    <button i18n mat-stroked-button type="button" [attr.aria-label]="removeLabel(a)" [disabled]="busy() === a.id" (click)="remove(a)">
                      Remove
                    </button>
                  </td>
                </tr>
              } @empty {
                <tr><td i18n colspan="6" class="muted">No saved addresses yet.</td></tr>
              }
            </tbody>
          </table>
        </div>

        <h2 i18n>Add an address</h2>
        @if (book.lock.enabled) {
          <p i18n class="muted">The address book is locked: turn the lock off to add an address.</p>
        } @else {
          @if (added(); as a) {
            <p i18n class="notice" role="status">"{{ a.label }}" was saved. Open the link we emailed you to confirm it; it is usable {{ holdText() }} after that.</p>
          }
          <form class="form" #f="ngForm" (ngSubmit)="add(f)">
            <mat-form-field subscriptSizing="dynamic">
              <mat-label i18n>Label</mat-label>
              <input matInput name="label" required #labelModel="ngModel" [cvField]="fields.label" [cvServerError]="errors.fields()['label']" [(ngModel)]="label" />
              <mat-error>{{ labelModel.errors | fieldError }}</mat-error>
            </mat-form-field>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label i18n>Asset</mat-label>
              <mat-select name="asset" required #assetModel="ngModel" [cvField]="fields.asset" [cvServerError]="errors.fields()['asset']"
                [ngModel]="asset()" (ngModelChange)="pickAsset($event)">
                @for (r of wallet.rules()?.assets ?? []; track r.asset) {
                  <mat-option [value]="r.asset">{{ r.asset }}</mat-option>
                }
              </mat-select>
              <mat-error>{{ assetModel.errors | fieldError }}</mat-error>
            </mat-form-field>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label i18n>Network</mat-label>
              <mat-select name="network" required #networkModel="ngModel" [cvField]="fields.network" [cvServerError]="errors.fields()['network']"
                [disabled]="!rule()" [(ngModel)]="network">
                @for (n of rule()?.networks ?? []; track n.name) {
                  <mat-option [value]="n.name">{{ n.name }}</mat-option>
                }
              </mat-select>
              <mat-error>{{ networkModel.errors | fieldError }}</mat-error>
            </mat-form-field>
            <mat-form-field subscriptSizing="dynamic">
              <mat-label i18n>Address</mat-label>
              <input matInput name="address" autocomplete="off" spellcheck="false" required #addressModel="ngModel"
                [cvField]="fields.address" [cvServerError]="errors.fields()['address']" [(ngModel)]="address" />
              <mat-error>{{ addressModel.errors | fieldError }}</mat-error>
              @if (addressHint(); as h) {
                <mat-hint>{{ h }}</mat-hint>
              }
            </mat-form-field>
            @if (errors.message(); as m) { <p class="error-text" role="alert">{{ m }}</p> }
            <div><button i18n mat-flat-button type="submit" [disabled]="busy() === 'add'">Save address</button></div>
          </form>
        }
      } @else {
        <cv-skeleton [count]="3" />
      }
    </div>
  `,
  styles: `
    .address {
      word-break: break-all;
      font-size: 0.9em;
    }
    .notice {
      padding: 12px 16px;
      border-radius: 12px;
      background: var(--mat-sys-surface-container);
      max-width: 560px;
    }
  `,
})
export class AddressBookPage implements OnInit {
  protected readonly store = inject(AddressBookStore);
  protected readonly wallet = inject(WalletStore);
  private readonly format = inject(DisplayFormat);
  protected readonly busy = signal<string | null>(null);
  protected readonly errors = new FormErrors(['label', 'asset', 'network', 'address']);
  /** The API's rules for a new address's fields, and how messages name them. */
  protected readonly fields = {
    label: fieldRule(CreateWithdrawalAddressDtoConstraints.label, {
      label: $localize`:A field named in messages like "Enter a label of 1 to 64 characters":a label`,
      format: $localize`A label cannot contain < or > or control characters`,
    }),
    asset: choiceRule(CreateWithdrawalAddressDtoConstraints.asset, { label: $localize`an asset`, missing: $localize`Choose an asset` }),
    network: choiceRule(CreateWithdrawalAddressDtoConstraints.network, { label: $localize`a network`, missing: $localize`Choose a network` }),
    address: fieldRule(CreateWithdrawalAddressDtoConstraints.address, {
      label: $localize`:A field named in messages like "Enter the address":the address`,
      size: $localize`Enter the address (at most 128 characters)`,
    }),
  };
  protected readonly lockError = signal<string | null>(null);
  protected readonly added = signal<WithdrawalAddressDto | null>(null);
  protected readonly asset = signal('');
  protected network = '';
  protected label = '';
  protected address = '';

  protected readonly rule = computed(() => this.wallet.rules()?.assets.find((a) => a.asset === this.asset()));
  protected readonly addressHint = computed(() => {
    const r = this.rule();
    if (!r) return '';
    // The hints are the server's descriptions of the address formats.
    const hints = r.networks.map((n) => n.addressHint).join($localize`:separator between alternative address formats:; or `);
    return $localize`Expected: ${hints}:hints:`;
  });
  protected readonly holdText = computed(() => {
    const s = this.store.book()?.holdSeconds ?? 86_400;
    if (s >= 3600) {
      const hours = +(s / 3600).toFixed(1);
      return hours === 1 ? $localize`1 hour` : $localize`${this.format.plain(hours, 1)}:count: hours`;
    }
    if (s >= 60) {
      const minutes = Math.round(s / 60);
      return minutes === 1 ? $localize`1 minute` : $localize`${this.format.plain(minutes, 0)}:count: minutes`;
    }
    return s === 1 ? $localize`1 second` : $localize`${s}:count: seconds`;
  });

  ngOnInit(): void {
    void this.store.load().catch(() => undefined);
    void this.wallet.loadRules().catch(() => undefined);
  }

  protected date(iso: string): string {
    return this.format.date(iso);
  }

  protected removeLabel(a: WithdrawalAddressDto): string {
    return $localize`Remove address ${a.label}:label:`;
  }

  protected statusText(a: WithdrawalAddressDto): string {
    return addressStatusText(a, (iso) => this.date(iso));
  }

  protected pickAsset(asset: string): void {
    this.asset.set(asset);
    this.network = this.rule()?.networks.find((n) => n.isDefault)?.name ?? '';
  }

  protected async add(form: NgForm): Promise<void> {
    this.errors.clear();
    this.added.set(null);
    if (!readyToSend(form)) return;
    this.busy.set('add');
    try {
      const a = await this.store.add({ label: this.label.trim(), asset: this.asset(), network: this.network || undefined, address: this.address.trim() });
      this.added.set(a);
      this.label = '';
      this.address = '';
      form.resetForm({ asset: this.asset(), network: this.network, label: '', address: '' });
    } catch (err) {
      const e = this.errors.set(err, CODE_FIELDS);
      if (e.code === 'ADDRESS_BOOK_LOCKED') await this.store.load().catch(() => undefined);
    } finally {
      this.busy.set(null);
    }
  }

  protected async remove(a: WithdrawalAddressDto): Promise<void> {
    this.busy.set(a.id);
    try {
      await this.store.remove(a.id);
    } catch {
      /* the error interceptor has shown it */
    } finally {
      this.busy.set(null);
    }
  }

  protected async lock(): Promise<void> {
    await this.runLock(() => this.store.lock());
  }

  protected async unlock(): Promise<void> {
    await this.runLock(() => this.store.unlock());
  }

  private async runLock(fn: () => Promise<void>): Promise<void> {
    this.busy.set('lock');
    this.lockError.set(null);
    try {
      await fn();
    } catch (err) {
      this.lockError.set(new FormErrors().set(err).message);
    } finally {
      this.busy.set(null);
    }
  }
}
