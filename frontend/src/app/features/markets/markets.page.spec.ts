import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { buttonByName } from '../../../testing/dom';
import { apiError, settle, setUpApp } from '../../../testing/ui';
import { PricesStore } from '../../core/prices/prices.store';
import { MarketsPage } from './markets.page';

const tick = () => new Promise((r) => setTimeout(r, 0));
const asset = (id: string, symbol: string, name: string, price: string, marketCap: string) => ({
  id, symbol, name, price, change24h: '0.5', marketCap, volume24h: '1000', high24h: null, low24h: null, image: null, lastUpdated: '', source: 'simulated',
});

describe('MarketsPage', () => {
  it('lists assets by market cap, filters by search, sorts by a clicked column and follows live prices', async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(MarketsPage);
    await tick();
    http.expectOne('/api/crypto').flush({
      cryptocurrencies: [asset('ethereum', 'ETH', 'Ethereum', '3000', '400'), asset('bitcoin', 'BTC', 'Bitcoin', '100000', '2000'), asset('dogecoin', 'DOGE', 'Dogecoin', '0.2', '30')],
    });
    await tick();
    await fixture.whenStable();
    const el: HTMLElement = fixture.nativeElement;
    const names = () => [...el.querySelectorAll('tbody strong')].map((s) => s.textContent);
    expect(names()).toEqual(['Bitcoin', 'Ethereum', 'Dogecoin']);

    const search = el.querySelector<HTMLInputElement>('input[type=search]')!;
    search.value = 'eth';
    search.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(names()).toEqual(['Ethereum']);

    search.value = '';
    search.dispatchEvent(new Event('input'));
    [...el.querySelectorAll<HTMLButtonElement>('th button')].find((b) => b.textContent?.startsWith('Name'))!.click();
    await fixture.whenStable();
    expect(names()).toEqual(['Bitcoin', 'Dogecoin', 'Ethereum']);

    const prices = TestBed.inject(PricesStore);
    prices.quotes.set({ DOGE: { price: '0.25', change24h: '3', timestamp: '', source: 'simulated', dir: 'up', seq: 1 } });
    await fixture.whenStable();
    const doge = [...el.querySelectorAll('tbody tr')][1];
    expect(doge.textContent).toContain('$0.25');
    expect(doge.querySelector('.flash-up-1')).not.toBeNull();
  });

  it('puts the signed-in user\'s watchlist first, under its own heading, and stars an asset from its row', async () => {
    const http = await setUpApp({ user: {}, imports: [MarketsPage] });
    const fixture = TestBed.createComponent(MarketsPage);
    await tick();
    http.expectOne('/api/crypto').flush({
      cryptocurrencies: [asset('ethereum', 'ETH', 'Ethereum', '3000', '400'), asset('bitcoin', 'BTC', 'Bitcoin', '100000', '2000'), asset('dogecoin', 'DOGE', 'Dogecoin', '0.2', '30')],
    });
    const item = (symbol: string, name: string) => ({ symbol, name, price: null, change24h: null, listed: true, addedAt: '2026-11-28T10:00:00Z' });
    http.expectOne('/api/watchlist').flush({ items: [item('DOGE', 'Dogecoin')], max: 50 });
    await settle(fixture);
    const el: HTMLElement = fixture.nativeElement;
    const names = (group: string) => [...el.querySelectorAll(`[data-testid=${group}] strong`)].map((s) => s.textContent);
    expect(names('watchlist-rows')).toEqual(['Dogecoin']);
    expect(names('market-rows')).toEqual(['Bitcoin', 'Ethereum']);
    expect([...el.querySelectorAll('tr.group th')].map((th) => th.textContent?.trim())).toEqual(['Your watchlist', 'All assets']);

    // The star does not open the coin's page; the row moves up at once and stays where the server says.
    const router = TestBed.inject(Router);
    const navigate = vi.spyOn(router, 'navigateByUrl');
    buttonByName(el, 'Add Ethereum to watchlist').click();
    await settle(fixture);
    expect(navigate).not.toHaveBeenCalled();
    const put = http.expectOne((r) => r.url === '/api/watchlist/ETH' && r.method === 'PUT');
    put.flush({ items: [item('DOGE', 'Dogecoin'), item('ETH', 'Ethereum')], max: 50 });
    await settle(fixture);
    expect(names('watchlist-rows')).toEqual(['Ethereum', 'Dogecoin']);
    expect(buttonByName(el, 'Remove Ethereum from watchlist')).toBeTruthy();

    // A refusal (a full watchlist) puts the list back as it was.
    buttonByName(el, 'Add Bitcoin to watchlist').click();
    await settle(fixture);
    http
      .expectOne('/api/watchlist/BTC')
      .flush(...apiError(422, 'LIMIT_EXCEEDED', 'At most 50 assets fit in a watchlist; remove one first'));
    await settle(fixture);
    expect(names('market-rows')).toEqual(['Bitcoin']);
    http.verify();
  });

  it('shows no star and no watchlist to a visitor', async () => {
    const http = await setUpApp({ imports: [MarketsPage] });
    const fixture = TestBed.createComponent(MarketsPage);
    await tick();
    http.match('/api/auth/me').forEach((r) => r.flush(...apiError(401, 'UNAUTHENTICATED', 'Authentication required')));
    http.expectOne('/api/crypto').flush({ cryptocurrencies: [asset('bitcoin', 'BTC', 'Bitcoin', '100000', '2000')] });
    await settle(fixture);
    const el: HTMLElement = fixture.nativeElement;
    expect(el.querySelector('cv-watchlist-star')).toBeNull();
    expect(el.querySelector('tr.group')).toBeNull();
    http.expectNone('/api/watchlist');
  });
});
