import { TestBed } from '@angular/core/testing';
import type { HoldingDto, PortfolioDto } from '../../api/models';
import { apiError, idle, setUpApp, tick } from '../../../testing/ui';
import { DashboardStore } from './dashboard.store';

async function setup() {
  TestBed.configureTestingModule({ providers: [DashboardStore] });
  const http = await setUpApp();
  return { store: TestBed.inject(DashboardStore), http };
}

function coin(symbol: string, value: string, allocation: string, source: HoldingDto['source'] = 'account'): HoldingDto {
  return { symbol, name: symbol, amount: '1', avgCost: null, currentPrice: value, value, pnl: null, pnlPct: null, allocation, source };
}

function portfolio(cash: string, totalValue: string, holdings: HoldingDto[]): PortfolioDto {
  return {
    totalValue, cash, invested: '0.00', unrealizedPnl: '0.00', unrealizedPnlPct: '0.00', realizedPnl: '0.00',
    change24h: '0.00', change24hPct: '0.00', pricesAsOf: null, holdings,
  };
}

describe('DashboardStore', () => {
  it('folds the smallest assets into "Other" after six slices, summing their shares and values exactly', async () => {
    const { store } = await setup();
    store.portfolio.set(
      portfolio('100.00', '1000.00', [
        coin('BTC', '300.00', '30.00'),
        coin('ETH', '200.00', '20.00'),
        coin('SOL', '150.00', '15.00'),
        coin('ETH', '100.00', '10.00', 'tracked'),
        coin('ADA', '60.00', '6.00'),
        coin('DOT', '50.00', '5.00'),
        coin('XRP', '30.00', '3.00'),
        coin('LTC', '10.00', '1.00'),
        coin('DOGE', '0.00', '0.00'),
      ]),
    );
    expect(store.allocation().map((s) => [s.label, s.percent, s.value])).toEqual([
      ['BTC', '30.00', '300.00'],
      ['ETH', '20.00', '200.00'],
      ['SOL', '15.00', '150.00'],
      ['ETH (tracked)', '10.00', '100.00'],
      ['Cash (USD)', '10.00', '100.00'],
      ['ADA', '6.00', '60.00'],
      ['Other (3 assets)', '9.00', '90.00'],
    ]);
  });

  it('never shows a negative cash share when the rounded holding shares add up past 100 %', async () => {
    const { store } = await setup();
    store.portfolio.set(portfolio('0.01', '3.01', [coin('A', '1.00', '33.34'), coin('B', '1.00', '33.34'), coin('C', '1.00', '33.33')]));
    expect(store.allocation().find((s) => s.key === 'cash')!.percent).toBe('0.00');
  });

  it('has nothing to allocate for an empty account', async () => {
    const { store } = await setup();
    store.portfolio.set(portfolio('0.00', '0.00', []));
    expect(store.allocation()).toEqual([]);
  });

  it('starts no refresh while the last load is still waiting for the server', async () => {
    const { store, http } = await setup();
    const first = store.load();
    await tick();
    void store.refresh();
    await tick();
    const portfolios = http.match('/api/portfolio');
    expect(portfolios).toHaveLength(1);
    portfolios[0].flush({ portfolio: portfolio('1.00', '1.00', []) });
    http.expectOne((r) => r.url === '/api/portfolio/history').flush({ valuation: 'candles', points: [] });
    http.expectOne((r) => r.url === '/api/transactions').flush({ items: [], nextCursor: null });
    await first;
    http.verify();
  });

  it('refreshes activity and history only when cash or holdings change, or every fourth quiet tick', async () => {
    const { store, http } = await setup();
    const btc = (amount: string, price: string) => ({ ...coin('BTC', price, '50.00'), amount });
    const answer = async (p: PortfolioDto, withRest: boolean) => {
      await tick();
      http.expectOne('/api/portfolio').flush({ portfolio: p });
      await tick();
      const rest = [...http.match((r) => r.url === '/api/portfolio/history'), ...http.match((r) => r.url === '/api/transactions')];
      expect(rest.length).toBe(withRest ? 2 : 0);
      rest.forEach((r) => r.flush(r.request.url === '/api/transactions' ? { items: [], nextCursor: null } : { valuation: 'candles', points: [] }));
    };

    const opened = store.load();
    await tick();
    http.expectOne('/api/portfolio').flush({ portfolio: portfolio('100.00', '200.00', [btc('1', '100.00')]) });
    http.expectOne((r) => r.url === '/api/portfolio/history').flush({ valuation: 'candles', points: [] });
    http.expectOne((r) => r.url === '/api/transactions').flush({ items: [], nextCursor: null });
    await opened;

    // Prices moved, nothing else: the portfolio only.
    let t = store.refresh();
    await answer(portfolio('100.00', '210.00', [btc('1', '110.00')]), false);
    await t;
    // A trade elsewhere: cash and amount changed.
    t = store.refresh();
    await answer(portfolio('50.00', '215.00', [btc('1.5', '110.00')]), true);
    await t;
    // Three quiet ticks, then the fourth fetches the rest anyway.
    for (const withRest of [false, false, false, true]) {
      t = store.refresh();
      await answer(portfolio('50.00', '215.00', [btc('1.5', '110.00')]), withRest);
      await t;
    }
    http.verify();
  });

  it('keeps the last good figures when a background refresh fails', async () => {
    const { store, http } = await setup();
    const good = portfolio('5.00', '5.00', []);
    store.portfolio.set(good);
    const refresh = store.refresh();
    await tick();
    http.expectOne('/api/portfolio').flush(...apiError(503, 'SERVICE_UNAVAILABLE', 'down'));
    await tick();
    http.expectOne((r) => r.url === '/api/portfolio/history').flush({ valuation: 'candles', points: [] });
    http.expectOne((r) => r.url === '/api/transactions').flush({ items: [], nextCursor: null });
    await refresh;
    expect(store.portfolio()).toBe(good);
  });

  it('keeps a just-tracked holding when a periodic refresh asked before it answers after it', async () => {
    const { store, http } = await setup();
    const eth = coin('ETH', '3125.00', '17.24', 'tracked');
    const refreshing = store.refresh();
    await idle();
    const stale = http.expectOne('/api/portfolio');

    const tracking = store.track({ symbol: 'ETH', amount: '1.25', avgCost: '2000' });
    await idle();
    http.expectOne('/api/portfolio/holding').flush({ holding: eth });
    await idle();
    http.expectOne('/api/portfolio').flush({ portfolio: portfolio('15000.00', '18125.00', [eth]) });
    http.match('/api/portfolio/tracked-lots').forEach((r) => r.flush({ items: [] }));
    await tracking;

    stale.flush({ portfolio: portfolio('15000.00', '15000.00', []) });
    await idle();
    http.match(() => true).forEach((r) => r.flush({ items: [], points: [], valuation: 'candles', nextCursor: null }));
    await refreshing;
    expect(store.portfolio()?.holdings.map((h) => h.symbol)).toEqual(['ETH']);
    expect(store.loading()).toBe(false);
  });
});
