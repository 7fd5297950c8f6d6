import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { CoinStore } from './coin.store';

const coin = (id: string, symbol: string, name: string) => ({
  id, symbol, name, price: '100', change24h: '1', marketCap: '1', volume24h: '1', high24h: null, low24h: null, circulatingSupply: null, ath: null, athDate: null,
  description: null, image: null, lastUpdated: '', source: 'simulated',
});
const candles = (close: string) => ({ candles: [{ time: '2026-12-07T05:00:00Z', open: close, high: close, low: close, close, volume: '1' }] });
const flushed = () => new Promise((r) => setTimeout(r, 0));

describe('CoinStore', () => {
  let store: CoinStore;
  let http: HttpTestingController;
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), CoinStore] });
    store = TestBed.inject(CoinStore);
    http = TestBed.inject(HttpTestingController);
  });

  it('shows the coin asked for last when two answer out of order, and never the first one\'s candles', async () => {
    void store.load('bitcoin');
    void store.load('ethereum');
    const [btc, eth] = [http.expectOne('/api/crypto/bitcoin'), http.expectOne('/api/crypto/ethereum')];
    eth.flush({ cryptocurrency: coin('ethereum', 'ETH', 'Ethereum') });
    await flushed();
    http.expectOne('/api/crypto/ethereum/candles?interval=1h').flush(candles('3000'));
    // Bitcoin answers last: too late to be shown, and its candles are not asked for.
    btc.flush({ cryptocurrency: coin('bitcoin', 'BTC', 'Bitcoin') });
    await flushed();
    expect(store.coin()?.name).toBe('Ethereum');
    expect(store.candles().map((c) => c.close)).toEqual(['3000']);
    http.expectNone('/api/crypto/bitcoin/candles?interval=1h');

    // Nor does a late "not found" for a coin no longer shown say that the shown one does not exist.
    void store.load('nosuchcoin');
    void store.load('ethereum');
    const [missing, again] = [http.expectOne('/api/crypto/nosuchcoin'), http.expectOne('/api/crypto/ethereum')];
    again.flush({ cryptocurrency: coin('ethereum', 'ETH', 'Ethereum') });
    await flushed();
    missing.flush({ error: { code: 'NOT_FOUND', message: 'Unknown asset' } }, { status: 404, statusText: 'Not Found' });
    await flushed();
    expect(store.notFound()).toBe(false);
    expect(store.coin()?.name).toBe('Ethereum');
    http.expectOne('/api/crypto/ethereum/candles?interval=1h').flush(candles('3001'));
    http.verify();
  });

  it('shows the candles of the interval chosen last when two answer out of order', async () => {
    void store.load('bitcoin');
    http.expectOne('/api/crypto/bitcoin').flush({ cryptocurrency: coin('bitcoin', 'BTC', 'Bitcoin') });
    await flushed();
    http.expectOne('/api/crypto/bitcoin/candles?interval=1h').flush(candles('100'));
    await flushed();

    void store.setInterval('4h');
    void store.setInterval('1d');
    const [fourHours, day] = [http.expectOne('/api/crypto/bitcoin/candles?interval=4h'), http.expectOne('/api/crypto/bitcoin/candles?interval=1d')];
    day.flush(candles('101'));
    await flushed();
    expect(store.candlesLoading()).toBe(false);
    fourHours.flush(candles('104'));
    await flushed();
    expect(store.interval()).toBe('1d');
    expect(store.candles().map((c) => c.close)).toEqual(['101']);
    http.verify();
  });
});
