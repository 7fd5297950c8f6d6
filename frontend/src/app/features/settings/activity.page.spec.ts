import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { SessionStore } from '../../core/auth/session.store';
import { click, settle, setUpApp } from '../../../testing/ui';
import { ActivityPage } from './activity.page';

const signIn = { id: 'e1', kind: 'signed_in', title: 'Signed in', createdAt: '2026-12-02T10:00:00Z', device: 'Firefox on Windows', network: '203.0.113.0/24', newDevice: true };
const twoFactor = { id: 'e2', kind: 'two_factor_enabled', title: 'Two-factor authentication turned on', createdAt: '2026-12-01T09:00:00Z', device: 'Chrome on Linux', network: null, newDevice: null };

describe('ActivityPage', () => {
  it('lists sign-ins and security events with their device and approximate network, and pages older ones', async () => {
    const http = await setUpApp({ user: {} });
    const fixture = TestBed.createComponent(ActivityPage);
    await settle(fixture);
    http.expectOne('/api/auth/activity?limit=20').flush({ items: [signIn], nextCursor: 'c1' });
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const items = () => [...el.querySelectorAll('[data-testid=activity] li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    expect(items()[0]).toContain('Signed in');
    expect(items()[0]).toContain('new device or network');
    expect(items()[0]).toContain('Firefox on Windows · network 203.0.113.0/24');

    await click(fixture, 'Show older activity');
    http.expectOne('/api/auth/activity?limit=20&cursor=c1').flush({ items: [twoFactor], nextCursor: null });
    await settle(fixture);
    expect(items()).toHaveLength(2);
    expect(items()[1]).toContain('Two-factor authentication turned on');
    expect(items()[1]).not.toContain('new device');
    expect(el.textContent).not.toContain('Show older activity');
    http.verify();
  });

  it('signs out everywhere and goes to the login page', async () => {
    const http = await setUpApp({ user: {} });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const fixture = TestBed.createComponent(ActivityPage);
    await settle(fixture);
    http.expectOne('/api/auth/activity?limit=20').flush({ items: [], nextCursor: null });
    await settle(fixture);
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('No activity yet.');
    await click(fixture, 'Sign out everywhere');
    http.expectOne('/api/auth/logout-all').flush({ message: 'Signed out of every session (2)' });
    await settle(fixture);
    expect(TestBed.inject(SessionStore).user()).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login']);
    http.verify();
  });
});
