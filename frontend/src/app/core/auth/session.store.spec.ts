import { TestBed } from '@angular/core/testing';
import { setUpApp, testUser, tick } from '../../../testing/ui';
import { SessionStore } from './session.store';

describe('SessionStore', () => {
  it('stays signed out when a "who am I" asked before sign-out answers after it', async () => {
    const http = await setUpApp({ user: { id: 'u1' } });
    const session = TestBed.inject(SessionStore);
    const asking = session.reload();
    await tick();
    const me = http.expectOne('/api/auth/me');
    const out = session.logout();
    await tick();
    http.expectOne('/api/auth/logout').flush(null, { status: 204, statusText: 'No Content' });
    await out;
    me.flush({ user: testUser({ id: 'u1' }) });
    await asking;
    expect(session.signedIn()).toBe(false);
  });

  it('stays signed in when a "who am I" asked before sign-in answers "nobody" after it', async () => {
    const http = await setUpApp();
    const session = TestBed.inject(SessionStore);
    await tick();
    const startUp = http.expectOne('/api/auth/me');
    session.setUser(testUser({ id: 'u2' }));
    startUp.flush({ error: { code: 'UNAUTHORIZED', message: 'Not signed in' } }, { status: 401, statusText: 'Unauthorized' });
    await session.ready;
    expect(session.user()?.id).toBe('u2');
  });
});
