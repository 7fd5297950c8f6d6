import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
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
});
