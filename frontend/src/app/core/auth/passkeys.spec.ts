import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { AddressBookDto, PasskeyAssertionDto, PasskeyDto, PasskeyRegistrationCredentialDto, WithdrawalRulesDto } from '../../api/models';
import { LoginPage } from '../../features/auth/login.page';
import { SettingsPage } from '../../features/settings/settings.page';
import { WalletPage } from '../../features/wallet/wallet.page';
import { apiError, choose, click, settle, setUpApp, submit, typeInto } from '../../../testing/ui';
import { WEBAUTHN, type WebAuthnBrowser } from './passkeys';

const assertion: PasskeyAssertionDto = {
  id: 'cred-1',
  rawId: 'cred-1',
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'cdj', authenticatorData: 'ad', signature: 'sig', userHandle: 'uh' },
};
const registration: PasskeyRegistrationCredentialDto = {
  id: 'cred-2',
  rawId: 'cred-2',
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'cdj', attestationObject: 'ao', transports: ['internal'] },
};
const phone: PasskeyDto = { id: 'p1', name: 'Pixel phone', createdAt: '2026-11-28T10:00:00Z', lastUsedAt: null };

/** A browser whose authenticator answers at once (or, with `cancel`, whose prompt the user closes). */
function fakeBrowser(opts: { cancel?: boolean } = {}) {
  const browser = {
    supported: () => true,
    create: vi.fn(async (_options: Record<string, unknown>) => registration as unknown),
    get: vi.fn(async (_options: Record<string, unknown>) => {
      if (opts.cancel) throw new DOMException('The operation either timed out or was not allowed.', 'NotAllowedError');
      return assertion as unknown;
    }),
  } satisfies WebAuthnBrowser;
  return browser;
}

describe('Passkeys in the client', () => {
  it('signs in with a passkey alone from the login page', async () => {
    const browser = fakeBrowser();
    const http = await setUpApp({ providers: [{ provide: WEBAUTHN, useValue: browser }] });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const fixture = TestBed.createComponent(LoginPage);
    await settle(fixture);

    await click(fixture, 'Sign in with a passkey');
    http.expectOne('/api/auth/passkeys/login-options').flush({ options: { challenge: 'abc', rpId: 'localhost' } });
    await settle(fixture);
    expect(browser.get).toHaveBeenCalledWith({ challenge: 'abc', rpId: 'localhost' });
    const login = http.expectOne('/api/auth/passkeys/login');
    expect(login.request.body).toEqual({ credential: assertion });
    login.flush({ user: { id: 'u', name: 'Ada' }, accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
    await settle(fixture);
    expect(navigate).toHaveBeenCalledWith('/dashboard');
    http.match('/api/auth/me').forEach((r) => r.flush({ user: { id: 'u' } }));
    http.verify();
  });

  it('offers a passkey instead of the code at the two-factor step, and says so when the prompt is closed', async () => {
    const browser = fakeBrowser({ cancel: true });
    const http = await setUpApp({ providers: [{ provide: WEBAUTHN, useValue: browser }] });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const fixture = TestBed.createComponent(LoginPage);
    await settle(fixture);
    const el: HTMLElement = fixture.nativeElement;
    await typeInto(fixture, 'input[name=email]', 'ada@example.com');
    await typeInto(fixture, 'input[name=password]', 'correct horse 1');
    await submit(fixture);
    http.expectOne('/api/auth/login').flush(...apiError(401, 'TWO_FACTOR_REQUIRED', 'Enter the code'));
    await settle(fixture);
    expect(el.textContent).toContain('or use a passkey');

    await click(fixture, 'Use a passkey instead');
    http.expectOne('/api/auth/passkeys/login-options').flush({ options: { challenge: 'one' } });
    await settle(fixture);
    expect(el.querySelector('[role=alert]')!.textContent).toContain('The passkey prompt was closed or timed out');
    http.expectNone('/api/auth/login');

    browser.get.mockResolvedValueOnce(assertion);
    await click(fixture, 'Use a passkey instead');
    http.expectOne('/api/auth/passkeys/login-options').flush({ options: { challenge: 'two' } });
    await settle(fixture);
    const second = http.expectOne('/api/auth/login');
    expect(second.request.body).toEqual({ email: 'ada@example.com', password: 'correct horse 1', passkey: assertion });
    second.flush({ user: { id: 'u', name: 'Ada' }, accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
    await settle(fixture);
    expect(navigate).toHaveBeenCalledWith('/dashboard');
    http.match('/api/auth/me').forEach((r) => r.flush({ user: { id: 'u' } }));
    http.verify();
  });

  it('lists passkeys in the settings with when they were added and last used, adds one by name, renames and removes it', async () => {
    const browser = fakeBrowser();
    const http = await setUpApp({ user: {}, providers: [{ provide: WEBAUTHN, useValue: browser }] });
    const fixture = TestBed.createComponent(SettingsPage);
    await settle(fixture);
    http.expectOne('/api/auth/2fa/status').flush({ enabled: false, backupCodesRemaining: 0 });
    http.expectOne('/api/auth/sessions').flush({ sessions: [] });
    http.expectOne('/api/auth/passkeys').flush({ passkeys: [phone] });
    await settle(fixture);
    const el: HTMLElement = fixture.nativeElement;
    const items = () => [...el.querySelectorAll('[data-testid=passkey-item]')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(items()[0]).toContain('Pixel phone');
    expect(items()[0]).toContain('Last used never');

    // A name first, then the browser's prompt.
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-passkeys-panel form'));
    expect(el.querySelector('cv-passkeys-panel')!.textContent).toContain('Give the passkey a name');
    http.expectNone('/api/auth/passkeys/registration-options');

    await typeInto(fixture, 'cv-passkeys-panel input[name=passkeyName]', ' Work laptop ');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-passkeys-panel form'));
    http.expectOne('/api/auth/passkeys/registration-options').flush({ options: { challenge: 'reg', rp: { id: 'localhost' } } });
    await settle(fixture);
    expect(browser.create).toHaveBeenCalledWith({ challenge: 'reg', rp: { id: 'localhost' } });
    const add = http.expectOne((r) => r.method === 'POST' && r.url === '/api/auth/passkeys');
    expect(add.request.body).toEqual({ name: 'Work laptop', credential: registration });
    add.flush({ passkey: { id: 'p2', name: 'Work laptop', createdAt: '2026-11-29T10:00:00Z', lastUsedAt: null } });
    await settle(fixture);
    expect(items()).toHaveLength(2);
    expect(el.querySelector('cv-passkeys-panel [role=status]')!.textContent).toContain('Passkey "Work laptop" added.');

    await click(fixture, 'Rename');
    await typeInto(fixture, 'cv-passkeys-panel input[name=rename]', 'Old phone');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-passkeys-panel form.rename'));
    const rename = http.expectOne('/api/auth/passkeys/p1');
    expect(rename.request.method).toBe('PATCH');
    expect(rename.request.body).toEqual({ name: 'Old phone' });
    rename.flush({ passkey: { ...phone, name: 'Old phone' } });
    await settle(fixture);
    expect(items()[0]).toContain('Old phone');

    el.querySelector<HTMLButtonElement>('button[aria-label="Remove passkey Old phone"]')!.click();
    await settle(fixture);
    const remove = http.expectOne('/api/auth/passkeys/p1');
    expect(remove.request.method).toBe('DELETE');
    remove.flush({ message: 'Passkey removed' });
    await settle(fixture);
    expect(items()).toEqual([expect.stringContaining('Work laptop')]);
    http.verify();
  });

  it('confirms a withdrawal with a passkey instead of a code', async () => {
    const browser = fakeBrowser();
    const http = await setUpApp({ user: { twoFactorEnabled: true }, providers: [{ provide: WEBAUTHN, useValue: browser }] });
    const fixture = TestBed.createComponent(WalletPage);
    await settle(fixture);
    http.expectOne('/api/wallet/balance').flush({
      wallet: { balances: [{ asset: 'BTC', available: '0.02', locked: '0', total: '0.02', usdValue: '1000.00' }], totalUsd: '1000.00', updatedAt: null },
    });
    http.expectOne('/api/wallet/withdrawals?limit=20').flush({ items: [], nextCursor: null });
    const rules: WithdrawalRulesDto = {
      assets: [{ asset: 'BTC', minimum: '0.0005', fee: '0.0001', decimals: 8, networks: [{ name: 'bitcoin', addressHint: 'bc1…', isDefault: true, explorerTxUrl: 'https://mempool.space/tx/{hash}' }] }],
      dailyLimitUsd: '50000',
      dailyRemainingUsd: '50000.00',
      dualApprovalUsd: '5000',
    };
    http.expectOne('/api/wallet/withdrawal-rules').flush({ rules });
    const book: AddressBookDto = {
      items: [
        {
          id: 'a-btc',
          label: 'Cold wallet',
          asset: 'BTC',
          network: 'bitcoin',
          address: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
          status: 'usable',
          createdAt: '2026-11-27T10:00:00Z',
          confirmedAt: '2026-11-27T10:05:00Z',
          usableFrom: '2026-11-28T10:05:00Z',
          removedAt: null,
        },
      ],
      lock: { enabled: false, disablesAt: null },
      maxAddresses: 20,
      holdSeconds: 86400,
    };
    http.expectOne('/api/wallet/addresses').flush(book);
    await settle(fixture);
    await choose(fixture, 'asset', 'BTC');
    await typeInto(fixture, 'cv-withdraw-form input[name=amount]', '0.01');

    await click(fixture, 'Confirm with a passkey');
    http.expectOne('/api/auth/passkeys/confirmation-options').flush({ options: { challenge: 'w', allowCredentials: [{ id: 'cred-1', type: 'public-key' }] } });
    await settle(fixture);
    const req = http.expectOne('/api/wallet/withdraw');
    expect(req.request.body).toEqual({ asset: 'BTC', addressId: 'a-btc', amount: '0.01', passkey: assertion });
    req.flush(...apiError(401, 'TWO_FACTOR_INVALID', 'The passkey could not be verified; try again'));
    await settle(fixture);
    expect(el(fixture).querySelector('cv-withdraw-form input[name=twoFactorCode]')!.closest('mat-form-field')!.textContent).toContain('The passkey could not be verified');
    http.verify();
  });
});

const el = (fixture: { nativeElement: unknown }): HTMLElement => fixture.nativeElement as HTMLElement;
