import { TestBed } from '@angular/core/testing';
import { SessionStore } from '../../core/auth/session.store';
import { apiError, click, clickInDialog, dialog, settle, setUpApp, submit, testUser, typeInDialog, typeInto, until } from '../../../testing/ui';
import { SettingsPage } from './settings.page';

const session = { id: 's1', device: 'Chrome on Linux', ip: '10.0.0.1', createdAt: '2026-11-28T10:00:00Z', lastUsedAt: '2026-11-28T11:00:00Z', current: true };
const other = { ...session, id: 's2', device: 'Firefox on Windows', ip: '10.0.0.2', current: false };

async function openSettings(twoFactor = { enabled: false, backupCodesRemaining: 0 }, user: Parameters<typeof testUser>[0] = {}) {
  const http = await setUpApp({ user });
  const fixture = TestBed.createComponent(SettingsPage);
  await settle(fixture);
  http.expectOne('/api/auth/2fa/status').flush(twoFactor);
  http.expectOne('/api/auth/sessions').flush({ sessions: [session, other] });
  http.expectOne('/api/auth/passkeys').flush({ passkeys: [] });
  await settle(fixture);
  return { http, fixture, el: fixture.nativeElement as HTMLElement };
}

describe('SettingsPage', () => {
  it('tells an admin without two-factor to turn it on before the back office opens, and no one else', async () => {
    const admin = await openSettings(undefined, { role: 'admin', twoFactorEnabled: false });
    expect(admin.el.querySelector('[data-testid=admin-enrol]')?.textContent).toContain('Turn on two-factor authentication below to use the back office');
    admin.http.verify();
    TestBed.resetTestingModule();
    const user = await openSettings();
    expect(user.el.querySelector('[data-testid=admin-enrol]')).toBeNull();
  });

  it('sets up two-factor: shows the QR code and the secret as text, puts a wrong code on the code field, then shows the backup codes once', async () => {
    const { http, fixture, el } = await openSettings();
    expect(el.textContent).toContain('Two-factor authentication is off');

    await click(fixture, 'Set up two-factor authentication');
    http.expectOne('/api/auth/2fa/setup').flush({ secret: 'JBSWY3DPEHPK3PXP', otpauthUrl: 'otpauth://totp/CryptoVault:ada?secret=JBSWY3DPEHPK3PXP', qrCodeDataUrl: 'data:image/png;base64,AAAA' });
    await settle(fixture);
    expect(el.querySelector('[data-testid=totp-secret]')?.textContent).toBe('JBSWY3DPEHPK3PXP');
    expect(el.querySelector<HTMLImageElement>('img')?.src).toBe('data:image/png;base64,AAAA');
    expect(el.querySelector('img')?.getAttribute('alt')).toContain('QR code');

    const twoFactorForm = () => el.querySelector<HTMLFormElement>('cv-two-factor-panel form');
    await typeInto(fixture, 'cv-two-factor-panel input[name=code]', '000000');
    await submit(fixture, twoFactorForm());
    http.expectOne('/api/auth/2fa/verify').flush(...apiError(401, 'TWO_FACTOR_INVALID', 'The two-factor code is not valid'));
    await settle(fixture);
    const codeField = el.querySelector('cv-two-factor-panel input[name=code]')!.closest('mat-form-field')!;
    expect(codeField.textContent).toContain('The two-factor code is not valid');

    await typeInto(fixture, 'cv-two-factor-panel input[name=code]', '123456');
    await submit(fixture, twoFactorForm());
    const verify = http.expectOne('/api/auth/2fa/verify');
    expect(verify.request.body).toEqual({ code: '123456' });
    const codes = Array.from({ length: 10 }, (_, i) => `code-${i}`);
    verify.flush({ backupCodes: codes });
    await settle(fixture);
    http.expectOne('/api/auth/2fa/status').flush({ enabled: true, backupCodesRemaining: 10 });
    http.expectOne('/api/auth/me').flush({ user: testUser({ twoFactorEnabled: true }) });
    await settle(fixture);

    expect(el.querySelectorAll('[data-testid=backup-codes] li')).toHaveLength(10);
    expect(el.textContent).toContain('Two-factor authentication is on.');
    expect(el.textContent).toContain('10 backup codes left');
    expect(el.querySelector('[data-testid=totp-secret]')).toBeNull();
    expect(TestBed.inject(SessionStore).user()?.twoFactorEnabled).toBe(true);

    await click(fixture, 'I have saved my codes');
    expect(el.querySelector('[data-testid=backup-codes]')).toBeNull();
    http.verify();
  });

  it('turns two-factor off after the step-up dialog: a wrong password shows in the dialog, the right one retries the change once', async () => {
    const { http, fixture, el } = await openSettings({ enabled: true, backupCodesRemaining: 3 });
    TestBed.inject(SessionStore).setUser(testUser({ twoFactorEnabled: true }));
    expect(el.textContent).toContain('3 backup codes left');
    await click(fixture, 'Turn off two-factor');
    expect(el.querySelector('cv-two-factor-panel input[name=password]')).toBeNull();
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-two-factor-panel form'));
    const first = http.expectOne('/api/auth/2fa/disable');
    first.flush(...apiError(401, 'STEP_UP_REQUIRED', 'Confirm it is you first'));
    await settle(fixture);
    await until(dialog); // the dialog's code loads on the first step-up

    expect(dialog()?.textContent).toContain('Confirm it is you');
    expect(dialog()?.querySelector('input[name=code]')).not.toBeNull();
    await typeInDialog(fixture, 'password', 'wrong');
    await typeInDialog(fixture, 'code', '123456');
    await clickInDialog(fixture, 'Confirm');
    const wrong = http.expectOne('/api/auth/step-up');
    expect(wrong.request.body).toEqual({ password: 'wrong', code: '123456' });
    wrong.flush(...apiError(401, 'INVALID_CREDENTIALS', 'The password is wrong'));
    await settle(fixture);
    expect(dialog()!.querySelector('input[name=password]')!.closest('mat-form-field')!.textContent).toContain('The password is wrong');
    http.expectNone('/api/auth/2fa/disable');

    await typeInDialog(fixture, 'password', 'right-pass-1');
    await typeInDialog(fixture, 'code', '654321');
    await clickInDialog(fixture, 'Confirm');
    http.expectOne('/api/auth/step-up').flush({ stepUpUntil: '2026-12-02T15:00:00.000Z' });
    await settle(fixture);
    http.expectOne('/api/auth/2fa/disable').flush({ message: 'Two-factor authentication is off' });
    await settle(fixture);
    http.expectOne('/api/auth/2fa/status').flush({ enabled: false, backupCodesRemaining: 0 });
    http.expectOne('/api/auth/me').flush({ user: testUser({ twoFactorEnabled: false }) });
    await settle(fixture);
    expect(dialog()).toBeNull();
    expect(el.textContent).toContain('Two-factor authentication is off');
    http.verify();
  });

  it('changes the password: a refused new one shows on its field; cancelling the step-up changes nothing and says so', async () => {
    const { http, fixture, el } = await openSettings();
    const form = () => el.querySelector<HTMLFormElement>('cv-password-form form');
    const field = (name: string) => el.querySelector(`cv-password-form input[name=${name}]`)!.closest('mat-form-field')!.textContent;
    expect(el.querySelector('cv-password-form input[name=currentPassword]')).toBeNull();

    await typeInto(fixture, 'input[name=newPassword]', 'new-pass-2');
    await typeInto(fixture, 'input[name=repeatPassword]', 'new-pass-3');
    await submit(fixture, form());
    expect(field('repeatPassword')).toContain('The two new passwords differ');
    http.expectNone('/api/auth/change-password');

    await typeInto(fixture, 'input[name=repeatPassword]', 'new-pass-2');
    await submit(fixture, form());
    http.expectOne('/api/auth/change-password').flush(...apiError(401, 'STEP_UP_REQUIRED', 'Confirm it is you first'));
    await settle(fixture);
    await until(dialog); // the dialog's code loads on the first step-up
    await clickInDialog(fixture, 'Cancel');
    await settle(fixture);
    expect(dialog()).toBeNull();
    http.expectNone('/api/auth/step-up');
    expect(el.querySelector('cv-password-form [role=alert]')?.textContent).toContain('Nothing was changed');

    await submit(fixture, form());
    http
      .expectOne('/api/auth/change-password')
      .flush(...apiError(400, 'VALIDATION_FAILED', 'Invalid request', [{ field: 'newPassword', message: 'newPassword is too common' }]));
    await settle(fixture);
    expect(field('newPassword')).toContain('newPassword is too common');

    await submit(fixture, form());
    const ok = http.expectOne('/api/auth/change-password');
    expect(ok.request.body).toEqual({ newPassword: 'new-pass-2' });
    ok.flush({ message: 'Password changed; your other sessions have been signed out' });
    await settle(fixture);
    http.expectOne('/api/auth/sessions').flush({ sessions: [session] });
    await settle(fixture);
    expect(el.textContent).toContain('your other sessions have been signed out');
    expect(el.textContent).not.toContain('Firefox on Windows');
    http.verify();
  });

  it('asks to change the email after a step-up and says where the link went', async () => {
    const { http, fixture, el } = await openSettings();
    expect(el.querySelector('cv-email-form')?.textContent).toContain('ada@example.com');
    await typeInto(fixture, 'cv-email-form input[name=newEmail]', 'ada@new.example');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-email-form form'));
    http.expectOne('/api/auth/change-email').flush(...apiError(401, 'STEP_UP_REQUIRED', 'Confirm it is you first'));
    await settle(fixture);
    await until(dialog); // the dialog's code loads on the first step-up
    // 2FA off: the dialog asks for the password only.
    expect(dialog()?.querySelector('input[name=code]')).toBeNull();
    await typeInDialog(fixture, 'password', 'my-pass-1');
    await clickInDialog(fixture, 'Confirm');
    const step = http.expectOne('/api/auth/step-up');
    expect(step.request.body).toEqual({ password: 'my-pass-1' });
    step.flush({ stepUpUntil: '2026-12-02T15:00:00.000Z' });
    await settle(fixture);
    const retried = http.expectOne('/api/auth/change-email');
    expect(retried.request.body).toEqual({ newEmail: 'ada@new.example' });
    retried.flush({ message: 'If ada@new.example can be used, a confirmation link is on its way to it' });
    await settle(fixture);
    expect(el.querySelector('[data-testid=email-change-sent]')?.textContent).toContain('a confirmation link is on its way');
    http.verify();
  });

  it('lists sessions with the current one marked and revokes another one', async () => {
    const { http, fixture, el } = await openSettings();
    const rows = [...el.querySelectorAll('cv-sessions-list tbody tr')];
    expect(rows[0].textContent).toContain('Chrome on Linux');
    expect(rows[0].textContent).toContain('This session');
    expect(rows[0].querySelector('button')).toBeNull();
    const revoke = rows[1].querySelector('button')!;
    expect(revoke.getAttribute('aria-label')).toBe('Revoke session: Firefox on Windows');
    revoke.click();
    await settle(fixture);
    http.expectOne({ method: 'DELETE', url: '/api/auth/sessions/s2' }).flush({ message: 'Session revoked' });
    await settle(fixture);
    expect(el.textContent).not.toContain('Firefox on Windows');
    http.verify();
  });

  it('signs out everywhere: every session ends, this one included, and the user is signed out', async () => {
    const { http, fixture } = await openSettings();
    await click(fixture, 'Sign out everywhere');
    http.expectOne({ method: 'POST', url: '/api/auth/logout-all' }).flush({ message: 'Signed out of every session (2)' });
    await settle(fixture);
    expect(TestBed.inject(SessionStore).user()).toBeNull();
    http.verify();
  });

  it('saves the profile name and updates the signed-in user', async () => {
    const { http, fixture, el } = await openSettings();
    expect((el.querySelector('input[name=name]') as HTMLInputElement).value).toBe('Ada');
    await typeInto(fixture, 'input[name=name]', 'Ada Lovelace');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-profile-form form'));
    const req = http.expectOne({ method: 'PUT', url: '/api/auth/profile' });
    expect(req.request.body).toEqual({ name: 'Ada Lovelace' });
    req.flush({ user: testUser({ name: 'Ada Lovelace' }) });
    await settle(fixture);
    expect(el.textContent).toContain('Profile saved.');
    expect(TestBed.inject(SessionStore).user()?.name).toBe('Ada Lovelace');
    http.verify();
  });
});
