import { TestBed } from '@angular/core/testing';
import { Api } from '../../api/api';
import { changePassword } from '../../api/fn/auth/change-password';
import { regenerateBackupCodes } from '../../api/fn/auth/regenerate-backup-codes';
import { apiError, dialog, idle, setUpApp, testUser, until } from '../../../testing/ui';
import type { PasskeyAssertionDto } from '../../api/models';
import { WEBAUTHN, type WebAuthnBrowser } from '../auth/passkeys';
import { ApiError } from './api-error';
import { silentErrors } from './http-context';

/** Types into the open dialog's input and submits the dialog's form (no component fixture here: the dialog lives in the overlay). */
async function answerDialog(values: Record<string, string>): Promise<void> {
  await until(dialog);
  for (const [name, value] of Object.entries(values)) {
    const input = document.querySelector<HTMLInputElement>(`mat-dialog-container input[name=${name}]`);
    if (!input) throw new Error(`no dialog input ${name}`);
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }
  await idle();
  document.querySelector('mat-dialog-container form')!.dispatchEvent(new Event('submit'));
  await idle();
}

describe('step-up interceptor and dialog', () => {
  const stepUpRequired = apiError(401, 'STEP_UP_REQUIRED', 'Confirm it is you first');

  it('on 401 STEP_UP_REQUIRED asks for the password and a code (2FA on), steps up through the SDK and retries the request once', async () => {
    const http = await setUpApp({ user: { twoFactorEnabled: true } });
    const api = TestBed.inject(Api);
    const done = api.invoke(regenerateBackupCodes, {}, silentErrors());
    await idle();
    http.expectOne('/api/auth/2fa/backup-codes').flush(...stepUpRequired);
    // The dialog's code loads on the first step-up.
    const box = await until(dialog);
    expect(box.getAttribute('role')).toBe('dialog');
    expect(box.getAttribute('aria-labelledby')).toBeTruthy();
    expect(document.getElementById(box.getAttribute('aria-labelledby')!)?.textContent).toContain('Confirm it is you');
    expect([...box.querySelectorAll('mat-label')].map((l) => l.textContent?.trim())).toEqual(['Password', 'Authenticator or backup code']);

    await answerDialog({ password: 'pw-1', code: ' 123456 ' });
    const step = http.expectOne('/api/auth/step-up');
    expect(step.request.body).toEqual({ password: 'pw-1', code: '123456' });
    expect(step.request.headers.get('X-CSRF-Token')).toBe('abcdefabcdefabcdef');
    step.flush({ stepUpUntil: '2026-12-02T15:00:00.000Z' });
    await idle();
    // Retried once: a second STEP_UP_REQUIRED (e.g. the step-up expired meanwhile) fails the call without a new dialog.
    http.expectOne('/api/auth/2fa/backup-codes').flush(...stepUpRequired);
    const err = (await done.catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('STEP_UP_REQUIRED');
    await idle();
    expect(dialog()).toBeNull();
    http.verify();
  });

  it('shares one dialog between requests that need it at once, and fails both with a clear message when cancelled', async () => {
    const http = await setUpApp({ user: testUser() });
    const api = TestBed.inject(Api);
    const a = api.invoke(changePassword, { body: { newPassword: 'n-pass-1' } }, silentErrors()).catch((e: unknown) => e);
    const b = api.invoke(regenerateBackupCodes, {}, silentErrors()).catch((e: unknown) => e);
    await idle();
    http.expectOne('/api/auth/change-password').flush(...stepUpRequired);
    http.expectOne('/api/auth/2fa/backup-codes').flush(...stepUpRequired);
    await until(dialog);
    expect(document.querySelectorAll('mat-dialog-container')).toHaveLength(1);
    // 2FA off: the password alone.
    expect(dialog()!.querySelector('input[name=code]')).toBeNull();
    [...dialog()!.querySelectorAll('button')].find((x) => x.textContent?.trim() === 'Cancel')!.click();
    for (const res of [await a, await b]) {
      expect(res).toBeInstanceOf(ApiError);
      expect((res as ApiError).code).toBe('STEP_UP_CANCELLED');
      expect((res as ApiError).message).toContain('Nothing was changed');
    }
    http.expectNone('/api/auth/step-up');
    http.verify();
  });

  it('asks for the code as well when the server says two-factor is on', async () => {
    const http = await setUpApp({ user: testUser({ twoFactorEnabled: false }) });
    const api = TestBed.inject(Api);
    const done = api.invoke(changePassword, { body: { newPassword: 'n-pass-1' } }, silentErrors());
    await idle();
    http.expectOne('/api/auth/change-password').flush(...stepUpRequired);
    await answerDialog({ password: 'pw-1' });
    http.expectOne('/api/auth/step-up').flush(...apiError(401, 'TWO_FACTOR_REQUIRED', 'Enter the code from your authenticator app'));
    await idle();
    const codeField = dialog()!.querySelector('input[name=code]')!.closest('mat-form-field')!;
    expect(codeField.textContent).toContain('Enter the code from your authenticator app');
    await answerDialog({ password: 'pw-1', code: 'abcd-efgh-ijkl' });
    http.expectOne('/api/auth/step-up').flush({ stepUpUntil: '2026-12-02T15:00:00.000Z' });
    await idle();
    http.expectOne('/api/auth/change-password').flush({ message: 'Password changed' });
    await expect(done).resolves.toEqual({ message: 'Password changed' });
    http.verify();
  });

  it('offers "Use a passkey": a confirmation challenge of this session, the assertion sent as the step-up, then the retry', async () => {
    const assertion: PasskeyAssertionDto = {
      id: 'cred-1',
      rawId: 'cred-1',
      type: 'public-key',
      clientExtensionResults: {},
      response: { clientDataJSON: 'cdj', authenticatorData: 'ad', signature: 'sig', userHandle: 'uh' },
    };
    const browser = {
      supported: () => true,
      create: vi.fn(async () => ({}) as unknown),
      get: vi.fn(async (_options: Record<string, unknown>) => assertion as unknown),
    } satisfies WebAuthnBrowser;
    const http = await setUpApp({ user: { twoFactorEnabled: true }, providers: [{ provide: WEBAUTHN, useValue: browser }] });
    const api = TestBed.inject(Api);
    const done = api.invoke(regenerateBackupCodes, {}, silentErrors());
    await idle();
    http.expectOne('/api/auth/2fa/backup-codes').flush(...stepUpRequired);
    await until(dialog);
    expect(dialog()!.textContent).toContain('or one of your passkeys');
    const button = [...dialog()!.querySelectorAll('button')].find((x) => x.textContent?.trim() === 'Use a passkey')!;
    button.click();
    await idle();
    http.expectOne('/api/auth/passkeys/confirmation-options').flush({ options: { challenge: 'c1', rpId: 'localhost' } });
    await idle();
    expect(browser.get).toHaveBeenCalledWith({ challenge: 'c1', rpId: 'localhost' });
    const step = http.expectOne('/api/auth/step-up');
    expect(step.request.body).toEqual({ passkey: assertion });
    step.flush({ stepUpUntil: '2026-12-02T15:00:00.000Z' });
    await idle();
    http.expectOne('/api/auth/2fa/backup-codes').flush({ backupCodes: ['a'] });
    await expect(done).resolves.toEqual({ backupCodes: ['a'] });
    expect(dialog()).toBeNull();
    http.verify();
  });

  it('says so in the dialog when the account has no passkey, and the password still works', async () => {
    const browser = { supported: () => true, create: vi.fn(), get: vi.fn() } satisfies WebAuthnBrowser;
    const http = await setUpApp({ user: testUser(), providers: [{ provide: WEBAUTHN, useValue: browser }] });
    const api = TestBed.inject(Api);
    const done = api.invoke(changePassword, { body: { newPassword: 'n-pass-1' } }, silentErrors());
    await idle();
    http.expectOne('/api/auth/change-password').flush(...stepUpRequired);
    await until(dialog);
    [...dialog()!.querySelectorAll('button')].find((x) => x.textContent?.trim() === 'Use a passkey')!.click();
    await idle();
    http.expectOne('/api/auth/passkeys/confirmation-options').flush(...apiError(409, 'INVALID_STATE', 'No passkey is registered on this account'));
    await idle();
    expect(dialog()!.querySelector('[role=alert]')?.textContent).toContain('No passkey is registered on this account');
    expect(browser.get).not.toHaveBeenCalled();
    await answerDialog({ password: 'pw-1' });
    http.expectOne('/api/auth/step-up').flush({ stepUpUntil: '2026-12-02T15:00:00.000Z' });
    await idle();
    http.expectOne('/api/auth/change-password').flush({ message: 'Password changed' });
    await expect(done).resolves.toEqual({ message: 'Password changed' });
    http.verify();
  });
});
