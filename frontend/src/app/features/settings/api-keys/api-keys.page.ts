import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { Api } from '../../../api/api';
import { createApiKey } from '../../../api/fn/auth/create-api-key';
import { listApiKeys } from '../../../api/fn/auth/list-api-keys';
import { revokeApiKey } from '../../../api/fn/auth/revoke-api-key';
import type { ApiKeyDto, ApiKeyScope, PasskeyAssertionDto } from '../../../api/models';
import { Passkeys } from '../../../core/auth/passkeys';
import { silentErrors } from '../../../core/http/http-context';
import { WhenPipe } from '../../../core/ui/format.pipes';
import { Skeleton } from '../../../core/ui/skeleton';
import { FormErrors } from '../../auth/form-errors';
import { generateEd25519KeyPair, type GeneratedKeyPair } from './ed25519-key-pair';
import { WebhooksPanel } from './webhooks-panel';

const EXPIRY_DAYS = { never: null, d30: 30, d90: 90, d365: 365 } as const;
type Expiry = keyof typeof EXPIRY_DAYS;
/** Errors the API answers without `details`, shown on the field they are about. */
const CODE_FIELDS = { TWO_FACTOR_INVALID: 'twoFactorCode' };

/**
 * Settings → API keys: create a scoped key (the Ed25519 key pair is made in this browser with WebCrypto and only the
 * public key is sent; the private key is shown once), list the keys with their scopes, last use and expiry, revoke one.
 * Creating needs a step-up (the step-up interceptor asks for it and retries); a key that can withdraw also needs a
 * fresh two-factor code (or a passkey) in the request itself, which the form asks for when `withdraw` is ticked.
 */
@Component({
  selector: 'cv-api-keys-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    RouterLink,
    WhenPipe,
    Skeleton,
    WebhooksPanel,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="page">
      <p><a i18n routerLink="/settings">← Settings</a></p>
      <h1 i18n>API keys</h1>
      <p i18n class="intro">
        An API key lets your own programs read your account, trade or withdraw for you, without your password. Each request is signed
        with the key's private key (Ed25519); we keep only the public key. See the API documentation for how to sign.
      </p>

      @if (created(); as c) {
        <section class="secret" role="alert" aria-labelledby="secret-title" data-testid="api-key-secret">
          <h2 i18n id="secret-title">Save your private key now</h2>
          <p i18n>
            This is the only time it is shown: we do not keep it and cannot show it again. Anyone who has it can use this key, so store it
            like a password. If you lose it, revoke the key and make a new one.
          </p>
          <p class="field-label" i18n>Key id (send it as CV-API-KEY)</p>
          <code class="block" data-testid="api-key-id">{{ c.key.id }}</code>
          @if (c.privateKeyPem) {
            <p class="field-label" i18n>Private key (PKCS#8, PEM)</p>
            <pre class="block" data-testid="api-key-private">{{ c.privateKeyPem }}</pre>
          }
          <div class="actions">
            @if (c.privateKeyPem) {
              <button i18n mat-stroked-button type="button" (click)="copy(c.privateKeyPem)">Copy private key</button>
            }
            <button i18n mat-stroked-button type="button" (click)="copy(c.key.id)">Copy key id</button>
            <button i18n mat-flat-button type="button" (click)="created.set(null)">I have saved it</button>
          </div>
          @if (note(); as n) {
            <p role="status">{{ n }}</p>
          }
        </section>
      }

      <section aria-labelledby="keys-title">
        <h2 i18n id="keys-title">Your keys</h2>
        @if (keys(); as list) {
          <ul class="keys" aria-label="Your API keys" i18n-aria-label>
            @for (k of list; track k.id) {
              <li data-testid="api-key-item">
                <div class="name">
                  <strong>{{ k.name }}</strong>
                  <span class="badge" [class.off]="k.status !== 'active'">{{ statusLabel(k) }}</span>
                </div>
                <div class="muted small">{{ scopesLabel(k) }}</div>
                <div i18n class="muted small">Created {{ k.createdAt | when // i18n(ph="created") }}</div>
                @if (k.lastUsedAt; as used) {
                  <div i18n class="muted small">Last used {{ used | when // i18n(ph="used") }}</div>
                } @else {
                  <div i18n class="muted small">Never used</div>
                }
                @if (k.expiresAt; as exp) {
                  <div i18n class="muted small">Expires {{ exp | when // i18n(ph="expires") }}</div>
                }
                @if (k.ipAllowlist.length) {
                  <div i18n class="muted small">Only from {{ k.ipAllowlist.join(', ') }}</div>
                }
                <div class="muted small id">{{ k.id }}</div>
                @if (k.status === 'active') {
                  <div class="actions">
                    @if (confirming() === k.id) {
                      <span i18n>Revoke "{{ k.name }}"? Programs using it stop working at once.</span>
                      <button i18n mat-flat-button type="button" [disabled]="busy()" (click)="revoke(k)">Revoke</button>
                      <button i18n mat-button type="button" (click)="confirming.set(null)">Cancel</button>
                    } @else {
                      <button i18n mat-stroked-button type="button" [attr.aria-label]="revokeLabel(k)" (click)="confirming.set(k.id)">Revoke</button>
                    }
                  </div>
                }
                <div class="actions">
                  <button mat-button type="button" [attr.aria-expanded]="webhooksOf() === k.id" (click)="webhooksOf.set(webhooksOf() === k.id ? null : k.id)">
                    @if (webhooksOf() === k.id) {
                      <span i18n>Hide webhooks</span>
                    } @else {
                      <span i18n>Webhooks</span>
                    }
                  </button>
                </div>
                @if (webhooksOf() === k.id) {
                  <cv-webhooks-panel [keyId]="k.id" [active]="k.status === 'active'" />
                }
              </li>
            } @empty {
              <li i18n class="muted" data-testid="api-keys-empty">No API keys yet.</li>
            }
          </ul>
          @if (rowErrors.message(); as m) {
            <p class="error-text" role="alert">{{ m }}</p>
          }
          @if (done(); as m) {
            <p role="status">{{ m }}</p>
          }
        } @else {
          <cv-skeleton shape="lines" [count]="2" />
        }
      </section>

      <section aria-labelledby="new-title">
        <h2 i18n id="new-title">New API key</h2>
        <form class="form" (ngSubmit)="create()">
          <mat-form-field>
            <mat-label i18n>Name</mat-label>
            <input matInput name="keyName" maxlength="64" required autocomplete="off" [(ngModel)]="name" />
            @if (errors.fields()['name']; as m) {
              <mat-hint class="error-text">{{ m }}</mat-hint>
            } @else {
              <mat-hint i18n>So you can tell it apart, e.g. "Trading bot"</mat-hint>
            }
          </mat-form-field>

          <fieldset>
            <legend i18n>What it may do</legend>
            <mat-checkbox name="scopeRead" [(ngModel)]="scopes.read"><span i18n>Read: balances, orders, portfolio, history</span></mat-checkbox>
            <mat-checkbox name="scopeTrade" [(ngModel)]="scopes.trade"><span i18n>Trade: orders, convert, alerts</span></mat-checkbox>
            <mat-checkbox name="scopeWithdraw" [(ngModel)]="scopes.withdraw">
              <span i18n>Withdraw: only to confirmed addresses in your address book</span>
            </mat-checkbox>
            @if (errors.fields()['scopes']; as m) {
              <p class="error-text small">{{ m }}</p>
            }
          </fieldset>

          @if (scopes.withdraw) {
            <mat-form-field>
              <mat-label i18n>Two-factor code</mat-label>
              <input
                matInput
                name="twoFactorCode"
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength="20"
                data-testid="api-key-code"
                [(ngModel)]="twoFactorCode"
              />
              @if (errors.fields()['twoFactorCode']; as m) {
                <mat-hint class="error-text">{{ m }}</mat-hint>
              } @else {
                <mat-hint i18n>A key that can withdraw needs a new code from your authenticator app (or a backup code), even if you just confirmed it is you.</mat-hint>
              }
            </mat-form-field>
          }

          <mat-form-field>
            <mat-label i18n>IP allowlist (optional)</mat-label>
            <textarea matInput name="ipAllowlist" rows="2" autocomplete="off" [(ngModel)]="allowlist"></textarea>
            @if (errors.fields()['ipAllowlist']; as m) {
              <mat-hint class="error-text">{{ m }}</mat-hint>
            } @else {
              <mat-hint i18n>Addresses or CIDR blocks, separated by commas or lines, e.g. 203.0.113.7. Required to withdraw.</mat-hint>
            }
          </mat-form-field>

          <mat-form-field>
            <mat-label i18n>Expires</mat-label>
            <mat-select name="expiry" [(ngModel)]="expiry">
              <mat-option i18n value="never">Never</mat-option>
              <mat-option i18n value="d30">In 30 days</mat-option>
              <mat-option i18n value="d90">In 90 days</mat-option>
              <mat-option i18n value="d365">In a year</mat-option>
            </mat-select>
            @if (errors.fields()['expiresAt']; as m) {
              <mat-hint class="error-text">{{ m }}</mat-hint>
            }
          </mat-form-field>

          @if (!generates) {
            <mat-form-field>
              <mat-label i18n>Your Ed25519 public key</mat-label>
              <textarea matInput name="publicKey" rows="3" autocomplete="off" [(ngModel)]="publicKey"></textarea>
              @if (errors.fields()['publicKey']; as m) {
                <mat-hint class="error-text">{{ m }}</mat-hint>
              } @else {
                <mat-hint i18n>This browser cannot make Ed25519 keys: paste the public key of a pair you made (base64 or PEM).</mat-hint>
              }
            </mat-form-field>
          } @else {
            <p i18n class="muted small">A new key pair is made in this browser: only its public key is sent to us.</p>
            @if (errors.fields()['publicKey']; as m) {
              <p class="error-text small">{{ m }}</p>
            }
          }
          @if (errors.message(); as m) {
            <p class="error-text" role="alert">{{ m }}</p>
          }
          <div class="actions">
            <button i18n mat-flat-button type="submit" [disabled]="busy()">Create API key</button>
            @if (scopes.withdraw && passkeysSupported) {
              <button i18n mat-stroked-button type="button" [disabled]="busy()" (click)="createWithPasskey()">Create, confirming with a passkey</button>
            }
          </div>
        </form>
      </section>
    </div>
  `,
  styleUrl: './key-forms.scss',
  styles: `
    .page {
      max-width: 720px;
    }
    section {
      margin-bottom: 32px;
    }
    .keys {
      list-style: none;
      padding: 0;
      margin: 0 0 16px;
    }
    .keys li {
      padding: 12px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
      overflow-wrap: anywhere;
    }
    .name {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;
    }
    .badge {
      font: var(--mat-sys-label-small);
      padding: 2px 8px;
      border-radius: 8px;
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
    }
    .badge.off {
      background: var(--mat-sys-surface-container-high);
      color: var(--mat-sys-on-surface);
    }
    .field-label {
      font: var(--mat-sys-label-large);
      margin: 12px 0 4px;
    }
    .block {
      margin: 0;
    }
  `,
})
export class ApiKeysPage implements OnInit {
  private readonly api = inject(Api);
  private readonly passkeys = inject(Passkeys);
  protected readonly passkeysSupported = this.passkeys.supported();
  protected readonly keys = signal<ApiKeyDto[] | null>(null);
  protected readonly created = signal<{ key: ApiKeyDto; privateKeyPem: string | null } | null>(null);
  protected readonly busy = signal(false);
  protected readonly confirming = signal<string | null>(null);
  /** The key whose webhooks are open (one at a time). */
  protected readonly webhooksOf = signal<string | null>(null);
  protected readonly done = signal<string | null>(null);
  protected readonly note = signal<string | null>(null);
  protected readonly errors = new FormErrors();
  protected readonly rowErrors = new FormErrors();
  /** Whether this browser's WebCrypto makes Ed25519 keys (Chromium 137+, Firefox 129+, Safari 17+). */
  protected generates = typeof crypto !== 'undefined' && !!crypto.subtle;
  protected name = '';
  protected scopes: Record<ApiKeyScope, boolean> = { read: true, trade: false, withdraw: false };
  protected allowlist = '';
  protected expiry: Expiry = 'never';
  protected publicKey = '';
  protected twoFactorCode = '';

  async ngOnInit(): Promise<void> {
    await this.reload();
  }

  protected statusLabel(k: ApiKeyDto): string {
    if (k.status === 'active') return $localize`Active`;
    if (k.status === 'expired') return $localize`Expired`;
    return $localize`Revoked`;
  }

  protected scopesLabel(k: ApiKeyDto): string {
    const names: Record<ApiKeyScope, string> = { read: $localize`read`, trade: $localize`trade`, withdraw: $localize`withdraw` };
    return $localize`May: ${k.scopes.map((s) => names[s]).join(', ')}:scopes:`;
  }

  protected revokeLabel(k: ApiKeyDto): string {
    return $localize`Revoke API key ${k.name}:name:`;
  }

  protected async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.note.set($localize`Copied to the clipboard.`);
    } catch {
      this.note.set($localize`The browser did not allow copying: select the text and copy it.`);
    }
  }

  /** Creates the key; one that can withdraw is confirmed with the code typed in the form. */
  protected create(): Promise<void> {
    return this.send(false);
  }

  /** Creates a key that can withdraw, confirmed with one of the account's passkeys instead of a code. */
  protected createWithPasskey(): Promise<void> {
    return this.send(true);
  }

  private async send(withPasskey: boolean): Promise<void> {
    this.errors.clear();
    this.done.set(null);
    const name = this.name.trim();
    const scopes = (Object.keys(this.scopes) as ApiKeyScope[]).filter((s) => this.scopes[s]);
    const code = this.twoFactorCode.trim();
    if (!name) this.errors.setField('name', $localize`Give the key a name`);
    if (!scopes.length) this.errors.setField('scopes', $localize`Choose at least one thing it may do`);
    if (!name || !scopes.length) return;
    const withdraw = scopes.includes('withdraw');
    if (withdraw && !withPasskey && !code) {
      this.errors.setField('twoFactorCode', $localize`Enter a new code from your authenticator app, or confirm with a passkey`);
      return;
    }
    const ipAllowlist = this.allowlist
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const days = EXPIRY_DAYS[this.expiry];
    this.busy.set(true);
    try {
      let pair: GeneratedKeyPair | null = null;
      if (this.generates) {
        pair = await generateEd25519KeyPair().catch(() => null);
        if (!pair) {
          // WebCrypto without Ed25519: the owner pastes a public key instead.
          this.generates = false;
          this.errors.setField('publicKey', $localize`This browser cannot make Ed25519 keys: paste the public key of a pair you made.`);
          return;
        }
      }
      let secondFactor: { twoFactorCode: string } | { passkey: PasskeyAssertionDto } | Record<string, never> = {};
      if (withdraw) secondFactor = withPasskey ? { passkey: await this.passkeys.confirmationAssertion() } : { twoFactorCode: code };
      const res = await this.api.invoke(
        createApiKey,
        {
          body: {
            name,
            scopes,
            publicKey: pair ? pair.publicKey : this.publicKey.trim(),
            ...(ipAllowlist.length ? { ipAllowlist } : {}),
            ...(days ? { expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() } : {}),
            ...secondFactor,
          },
        },
        silentErrors(),
      );
      this.created.set({ key: res.apiKey, privateKeyPem: pair?.privateKeyPem ?? null });
      this.note.set(null);
      this.name = '';
      this.allowlist = '';
      this.publicKey = '';
      this.scopes = { read: true, trade: false, withdraw: false };
      this.expiry = 'never';
      this.twoFactorCode = '';
      await this.reload();
    } catch (err) {
      const e = this.errors.set(err, CODE_FIELDS);
      // Past validation a code is used up, even when the request fails afterwards: the next one is needed.
      if (e.code !== 'VALIDATION_FAILED') this.twoFactorCode = '';
      // Each code works once, the one that confirmed "it is you" a moment ago too: say so where the code is typed.
      if (e.code === 'TWO_FACTOR_INVALID' && !withPasskey) {
        this.errors.setField(
          'twoFactorCode',
          $localize`That code is not valid or was already used (also when you just confirmed it is you with it): enter the next code from your authenticator app, or a backup code.`,
        );
      }
    } finally {
      this.busy.set(false);
    }
  }

  protected async revoke(k: ApiKeyDto): Promise<void> {
    this.rowErrors.clear();
    this.busy.set(true);
    try {
      await this.api.invoke(revokeApiKey, { id: k.id }, silentErrors());
      this.confirming.set(null);
      this.done.set($localize`API key "${k.name}:name:" revoked.`);
      await this.reload();
    } catch (err) {
      this.rowErrors.set(err);
    } finally {
      this.busy.set(false);
    }
  }

  private async reload(): Promise<void> {
    this.keys.set((await this.api.invoke(listApiKeys, {})).items);
  }
}
