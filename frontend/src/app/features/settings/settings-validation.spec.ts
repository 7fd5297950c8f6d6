import { TestBed } from '@angular/core/testing';
import { settle, setUpApp, submit, typeInto } from '../../../testing/ui';
import { SettingsPage } from './settings.page';

async function openSettings() {
  const http = await setUpApp({ user: {} });
  const fixture = TestBed.createComponent(SettingsPage);
  await settle(fixture);
  http.expectOne('/api/auth/2fa/status').flush({ enabled: false, backupCodesRemaining: 0 });
  http.expectOne('/api/auth/sessions').flush({ sessions: [] });
  http.expectOne('/api/auth/passkeys').flush({ passkeys: [] });
  await settle(fixture);
  const el = fixture.nativeElement as HTMLElement;
  const errorOf = (selector: string) => [...el.querySelector(selector)!.closest('mat-form-field')!.querySelectorAll('mat-error')].map((e) => e.textContent!.trim());
  return { http, fixture, el, errorOf };
}

describe('Settings forms check what is typed before sending', () => {
  it('refuses a name of one letter or over 100, in the words the server uses', async () => {
    const { http, fixture, el, errorOf } = await openSettings();
    const form = el.querySelector<HTMLFormElement>('cv-profile-form form')!;
    await typeInto(fixture, 'cv-profile-form input[name=name]', 'A');
    await submit(fixture, form);
    expect(errorOf('cv-profile-form input[name=name]')).toEqual(['Enter a name of 2 to 100 characters']);
    await typeInto(fixture, 'cv-profile-form input[name=name]', 'N'.repeat(101));
    expect(errorOf('cv-profile-form input[name=name]')).toEqual(['Enter a name of 2 to 100 characters']);
    http.expectNone('/api/auth/profile');
    http.verify();
  });

  it('asks for the new email address, and refuses one that is not an address, before asking who you are', async () => {
    const { http, fixture, el, errorOf } = await openSettings();
    const form = el.querySelector<HTMLFormElement>('cv-email-form form')!;
    await submit(fixture, form);
    expect(errorOf('cv-email-form input[name=newEmail]')).toEqual(['Enter the new address']);
    await typeInto(fixture, 'cv-email-form input[name=newEmail]', 'ada@new');
    expect(errorOf('cv-email-form input[name=newEmail]')).toEqual(['Enter a valid email address']);
    http.expectNone('/api/auth/change-email');
    http.verify();
  });

  it('refuses a new password under 8 characters and asks for the repeat, before asking who you are', async () => {
    const { http, fixture, el, errorOf } = await openSettings();
    await typeInto(fixture, 'cv-password-form input[name=newPassword]', 'abc1');
    await submit(fixture, el.querySelector<HTMLFormElement>('cv-password-form form'));
    expect(errorOf('cv-password-form input[name=newPassword]')).toEqual(['Use at least 8 characters']);
    expect(errorOf('cv-password-form input[name=repeatPassword]')).toEqual(['Enter the new password again']);
    http.expectNone('/api/auth/change-password');
    http.verify();
  });
});
