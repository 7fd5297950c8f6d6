import { HttpResponse, provideHttpClient, withInterceptors, type HttpInterceptorFn } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { of } from 'rxjs';
import { listCryptocurrencies } from '../../api/fn/market/list-cryptocurrencies';
import { MarketsStore } from '../../features/markets/markets.store';
import { ApiNow } from './api-now';

const asset = (id: string, symbol: string, name: string, price: string, marketCap: string) => ({
  id, symbol, name, price, change24h: '0.5', marketCap, volume24h: '1000', high24h: null, low24h: null, image: null, lastUpdated: '', source: 'simulated',
});
const LIST = { cryptocurrencies: [asset('ethereum', 'ETH', 'Ethereum', '3000', '400'), asset('bitcoin', 'BTC', 'Bitcoin', '100000', '2000')] };

/**
 * Answers GET /api/crypto at once, in the same turn, as Angular's HTTP transfer cache answers the requests a server
 * render made while the app takes that page over; every other request goes on to the (testing) network.
 */
const inHand: HttpInterceptorFn = (req, next) => (req.url === '/api/crypto' ? of(new HttpResponse({ status: 200, body: LIST })) : next(req));

describe('ApiNow', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(withInterceptors([inHand])), provideHttpClientTesting(), MarketsStore] });
  });

  it('hands over an answer already in hand as it is, in the same turn', () => {
    const answer = TestBed.inject(ApiNow).invoke(listCryptocurrencies, {});
    expect(answer).not.toBeInstanceOf(Promise);
    expect(answer).toEqual(LIST);
  });

  it('gives an answer from the network as a promise, and its failure as a rejection', async () => {
    const api = TestBed.inject(ApiNow);
    const http = TestBed.inject(HttpTestingController);
    const prices = api.invoke((h, root) => h.get(`${root}/api/prices`, { observe: 'response' }) as never, {});
    expect(prices).toBeInstanceOf(Promise);
    http.expectOne('/api/prices').flush({ prices: {} });
    await expect(prices).resolves.toEqual({ prices: {} });

    const failed = api.invoke((h, root) => h.get(`${root}/api/prices`, { observe: 'response' }) as never, {});
    http.expectOne('/api/prices').flush({ error: { code: 'UNAVAILABLE' } }, { status: 503, statusText: 'Service Unavailable' });
    await expect(failed).rejects.toMatchObject({ status: 503 });
    http.verify();
  });

  it('lets the markets store have its rows in the turn it loads them: the first render of a server-rendered page has the server\'s rows', () => {
    const store = TestBed.inject(MarketsStore);
    void store.load();
    // No await: what hydration's first render sees.
    expect(store.loading()).toBe(false);
    expect(store.others().map((r) => r.name)).toEqual(['Bitcoin', 'Ethereum']);
  });
});
