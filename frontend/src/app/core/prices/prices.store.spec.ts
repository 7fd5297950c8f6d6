import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FakeWebSocket, installFakeWebSocket } from '../../../testing/fake-websocket';
import { PricesStore } from './prices.store';

describe('PricesStore', () => {
  let store: PricesStore;
  let http: HttpTestingController;

  beforeEach(() => {
    installFakeWebSocket();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    store = TestBed.inject(PricesStore);
    http = TestBed.inject(HttpTestingController);
  });

  const quote = (price: string) => ({ price, change24h: '1.00', timestamp: '2026-11-28T19:00:00Z', source: 'simulated' });

  it('opens /ws/prices on the page origin and reports a simulated feed from /api/prices', async () => {
    store.start();
    expect(FakeWebSocket.instances[0].url).toBe(`ws://${location.host}/ws/prices`);
    http.expectOne('/api/prices').flush({ prices: { BTC: quote('100') }, status: { source: 'simulated', state: 'ok', lastUpdate: null } });
    await new Promise((r) => setTimeout(r, 0));
    expect(store.simulated()).toBe(true);
    expect(store.quote('btc')?.price).toBe('100');
  });

  it('marks each change up or down and bumps its sequence so the flash restarts', () => {
    store.start();
    http.expectOne('/api/prices');
    const ws = FakeWebSocket.instances[0];
    ws.open();
    expect(ws.sent).toContain(JSON.stringify({ type: 'get_status' }));
    ws.receive({ type: 'price_update', prices: { ETH: quote('10') }, timestamp: 'x' });
    expect(store.quote('ETH')).toMatchObject({ price: '10', dir: null, seq: 0 });
    ws.receive({ type: 'price_update', prices: { ETH: quote('11') }, timestamp: 'x' });
    expect(store.quote('ETH')).toMatchObject({ price: '11', dir: 'up', seq: 1 });
    ws.receive({ type: 'price_update', prices: { ETH: quote('9.5') }, timestamp: 'x' });
    expect(store.quote('ETH')).toMatchObject({ price: '9.5', dir: 'down', seq: 2 });
    ws.receive({ type: 'status', source: 'coingecko', state: 'ok', lastUpdate: null });
    expect(store.simulated()).toBe(false);
  });

  it('reconnects with a growing delay after a drop, and not at all once the app is gone', () => {
    vi.useFakeTimers();
    try {
      store.start();
      http.expectOne('/api/prices');
      FakeWebSocket.instances[0].open();
      expect(store.connected()).toBe(true);
      FakeWebSocket.instances[0].drop();
      expect(store.connected()).toBe(false);
      vi.advanceTimersByTime(999);
      expect(FakeWebSocket.instances).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(FakeWebSocket.instances).toHaveLength(2);
      // Dropped again, and the app destroyed while the next try (2 s later) is pending: no try is made.
      FakeWebSocket.instances[1].drop();
      TestBed.resetTestingModule();
      vi.advanceTimersByTime(60_000);
      expect(FakeWebSocket.instances).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes its socket when the app is destroyed, and does not open another', () => {
    vi.useFakeTimers();
    try {
      store.start();
      http.expectOne('/api/prices');
      const ws = FakeWebSocket.instances[0];
      ws.open();
      TestBed.resetTestingModule();
      expect(ws.closed).toBe(true);
      expect(store.connected()).toBe(false);
      vi.advanceTimersByTime(60_000);
      expect(FakeWebSocket.instances).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('opens no socket in a server render', () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), { provide: PLATFORM_ID, useValue: 'server' }] });
    TestBed.inject(PricesStore).start();
    TestBed.inject(HttpTestingController).expectOne('/api/prices');
    expect(FakeWebSocket.instances).toHaveLength(0);
  });
});
