import { TestBed } from '@angular/core/testing';
import { apiError, button, click, settle, setUpApp } from '../../../testing/ui';
import { FreezePage } from './freeze.page';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz012345';
const event = {
  id: 'e1',
  kind: 'signed_in',
  title: 'Signed in',
  createdAt: '2026-12-02T10:00:00Z',
  device: 'Chrome on Android',
  network: '198.51.100.0/24',
  newDevice: true,
};

async function openFreeze(token: string | null = TOKEN) {
  const http = await setUpApp();
  const fixture = TestBed.createComponent(FreezePage);
  if (token !== null) fixture.componentRef.setInput('token', token);
  await settle(fixture);
  return { http, fixture, el: fixture.nativeElement as HTMLElement };
}

describe('FreezePage ("This wasn\'t me")', () => {
  it('only previews when opened: shows what the link is about and freezes nothing until the button is pressed', async () => {
    const { http, fixture, el } = await openFreeze();
    const preview = http.expectOne('/api/auth/freeze/preview');
    expect(preview.request.method).toBe('POST');
    expect(preview.request.body).toEqual({ token: TOKEN });
    preview.flush({ valid: true, event });
    await settle(fixture);
    const shown = el.querySelector('[data-testid=freeze-event]')!.textContent!;
    expect(shown).toContain('Signed in');
    expect(shown).toContain('Chrome on Android · network 198.51.100.0/24');
    http.expectNone('/api/auth/freeze');

    await click(fixture, 'Freeze my account');
    const freeze = http.expectOne('/api/auth/freeze');
    expect(freeze.request.body).toEqual({ token: TOKEN });
    freeze.flush({ message: 'Your account is frozen: every session is signed out.', removed: ['two_factor'] });
    await settle(fixture);
    expect(el.textContent).toContain('Your account is frozen.');
    expect(el.textContent).toContain('Removed because they were added after the event you reported: two-factor authentication.');
    expect(button(fixture, 'reset your password by email')?.getAttribute('href')).toBe('/forgot-password');
    http.verify();
  });

  it('says so when the link is used or expired, before and after pressing the button', async () => {
    const used = await openFreeze();
    used.http.expectOne('/api/auth/freeze/preview').flush({ valid: false });
    await settle(used.fixture);
    expect(used.el.querySelector('[role=alert]')?.textContent).toContain('invalid, already used or expired');
    expect(button(used.fixture, 'Freeze my account')).toBeUndefined();
    used.http.verify();
    TestBed.resetTestingModule();

    const raced = await openFreeze();
    raced.http.expectOne('/api/auth/freeze/preview').flush({ valid: true, event });
    await settle(raced.fixture);
    await click(raced.fixture, 'Freeze my account');
    raced.http.expectOne('/api/auth/freeze').flush(...apiError(400, 'FREEZE_LINK_INVALID', 'This link is invalid, already used or expired.'));
    await settle(raced.fixture);
    expect(raced.el.textContent).toContain('This link is invalid, already used or expired.');
    raced.http.verify();
  });

  it('asks nothing of the API without a token', async () => {
    const { http, el } = await openFreeze(null);
    expect(el.textContent).toContain('invalid, already used or expired');
    http.verify();
  });
});
