import { HttpResponse, provideHttpClient, withInterceptors, type HttpInterceptorFn } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { DeferBlockBehavior, DeferBlockState, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { of } from 'rxjs';
import { settle } from '../../../testing/ui';
import { CoinPage } from './coin.page';

const COIN = {
  id: 'bitcoin', symbol: 'BTC', name: 'Bitcoin', price: '100000', change24h: '1.5', marketCap: '2000000000000', volume24h: '30000000000',
  high24h: '101000', low24h: '99000', circulatingSupply: '19800000', ath: '126000', athDate: null, description: null, image: null, lastUpdated: '', source: 'simulated',
};
const candle = (time: string) => ({ time, open: '100000', high: '100500', low: '99500', close: '100200', volume: '10' });

describe('CoinPage', () => {
  it('taken over from the server, changes the candles\' interval without loading the coin again or rebuilding the page', async () => {
    // The coin and its candles answered at once, as Angular's transfer cache answers a server-rendered page's own
    // requests while the app takes that page over; every request is counted.
    const asked: string[] = [];
    const inHand: HttpInterceptorFn = (req, next) => {
      asked.push(req.urlWithParams);
      if (req.url === '/api/crypto/bitcoin') return of(new HttpResponse({ status: 200, body: { cryptocurrency: COIN } }));
      if (req.url === '/api/crypto/bitcoin/candles') return of(new HttpResponse({ status: 200, body: { candles: [candle('2026-12-07T05:00:00Z')] } }));
      return next(req);
    };
    TestBed.configureTestingModule({
      // The chart's @defer block stays on its placeholder (no canvas here).
      deferBlockBehavior: DeferBlockBehavior.Manual,
      imports: [CoinPage],
      providers: [provideRouter([]), provideHttpClient(withInterceptors([inHand])), provideHttpClientTesting()],
    });
    await TestBed.compileComponents(); // the @defer block's dependencies
    const fixture = TestBed.createComponent(CoinPage);
    fixture.componentRef.setInput('id', 'bitcoin');
    await settle(fixture);
    const el: HTMLElement = fixture.nativeElement;
    const heading = el.querySelector('h1');
    expect(heading?.textContent).toContain('Bitcoin');
    expect(asked.filter((u) => u.startsWith('/api/crypto/'))).toEqual(['/api/crypto/bitcoin', '/api/crypto/bitcoin/candles?interval=1h']);

    const day = [...el.querySelectorAll<HTMLButtonElement>('mat-button-toggle button')].find((b) => b.textContent?.trim() === '1d');
    day!.click();
    await settle(fixture);
    // Only the candles are asked for; the page (and whatever the user had typed in its ticket) stays as it was.
    expect(asked.filter((u) => u.startsWith('/api/crypto/'))).toEqual([
      '/api/crypto/bitcoin',
      '/api/crypto/bitcoin/candles?interval=1h',
      '/api/crypto/bitcoin/candles?interval=1d',
    ]);
    expect(el.querySelector('h1')).toBe(heading);

    // The chart's place, kept while its code loads; said so when the code never arrives.
    expect(el.querySelector('.chart-placeholder')).not.toBeNull();
    const [chart] = await fixture.getDeferBlocks();
    await chart.render(DeferBlockState.Error);
    expect(el.querySelector('.chart-error')?.textContent).toContain('The chart could not be loaded. Reload the page to see it.');
  });
});
