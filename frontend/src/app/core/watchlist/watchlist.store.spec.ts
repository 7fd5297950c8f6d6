import { TestBed } from '@angular/core/testing';
import { idle, setUpApp } from '../../../testing/ui';
import { SessionStore } from '../auth/session.store';
import { WatchlistStore } from './watchlist.store';

const item = (symbol: string) => ({ symbol, name: symbol, price: null, change24h: null, listed: true, addedAt: '2026-11-28T10:00:00Z' });

describe('WatchlistStore', () => {
  it("shows none of the signed-out user's stars when their watchlist answers after sign-out", async () => {
    const http = await setUpApp({ user: { id: 'u1' } });
    const store = TestBed.inject(WatchlistStore);
    const session = TestBed.inject(SessionStore);
    const loading = store.load();
    await idle();
    const late = http.expectOne('/api/watchlist');
    session.user.set(null);
    await idle();
    late.flush({ items: [item('BTC'), item('DOGE')], max: 50 });
    await loading;
    expect(store.symbols()).toEqual([]);
    expect(store.loaded()).toBe(false);

    // The next person to sign in in this tab gets their own list, read afresh.
    session.setUser({ ...session.user()!, id: 'u2' } as never);
    const next = store.load();
    await idle();
    http.expectOne('/api/watchlist').flush({ items: [item('ETH')], max: 50 });
    await next;
    expect(store.symbols()).toEqual(['ETH']);
  });

  it('does not put back a star answered after sign-out', async () => {
    const http = await setUpApp({ user: { id: 'u1' } });
    const store = TestBed.inject(WatchlistStore);
    const session = TestBed.inject(SessionStore);
    const first = store.load();
    await idle();
    http.expectOne('/api/watchlist').flush({ items: [], max: 50 });
    await first;
    const starring = store.toggle('SOL');
    await idle();
    const put = http.expectOne((r) => r.url === '/api/watchlist/SOL' && r.method === 'PUT');
    session.user.set(null);
    await idle();
    put.flush({ items: [item('SOL')], max: 50 });
    await starring;
    expect(store.symbols()).toEqual([]);
    expect(store.pending().size).toBe(0);
  });
});
