import { HttpAdapterHost } from '@nestjs/core';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import { AppConfig } from '../../config/config.service';
import { MetricsService } from '../../metrics/metrics.service';
import { MemoryPubSub } from '../../redis/memory-twins';
import { AssetCatalogueService } from '../quotes/asset-catalogue.service';
import type { AssetRow } from '../quotes/assets.repository';
import { AssetsRepository } from '../quotes/assets.repository';
import { MarketEvents } from '../quotes/market-events';
import { MarketQuotesService, type WireQuote } from '../quotes/market-quotes.service';
import { PricesGateway } from './prices.gateway';

/** A message as the client reads it: a pre-built text frame without its header, or what `send` was given. */
function payloadOf(d: string | Buffer): string {
  if (typeof d === 'string' || d[0] !== 0x81) return d.toString();
  return d.subarray(d[1] === 126 ? 4 : d[1] === 127 ? 10 : 2).toString();
}

/** Stands in for a `ws` server-side socket: records what the gateway sends. */
class FakeSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: (string | Buffer)[] = [];
  /** The internals `writeFrame` writes pre-built frames through, as `ws` has them between messages. */
  readonly _sender = { _state: 0, _firstFragment: true, _queue: [] };
  readonly _socket = { write: (frame: Buffer) => this.sent.push(frame) };
  send(data: string | Buffer): void {
    this.sent.push(data);
  }
  pings = 0;
  ping(): void {
    this.pings++;
  }
  terminate(): void {
    this.readyState = 3;
    this.emit('close', 1006);
  }
  close(): void {
    this.terminate();
  }
  updates(): { prices: Record<string, { price: string }> }[] {
    return this.sent.map((d) => JSON.parse(payloadOf(d))).filter((m) => m.type === 'price_update');
  }
}

const ASSETS = [
  { symbol: 'BTC', coingeckoId: 'bitcoin', coincapId: 'bitcoin', binanceSymbol: 'BTCUSDT', name: 'Bitcoin', decimals: 8, rank: 1, imageUrl: null },
  { symbol: 'ETH', coingeckoId: 'ethereum', coincapId: 'ethereum', binanceSymbol: 'ETHUSDT', name: 'Ethereum', decimals: 8, rank: 2, imageUrl: null },
] as AssetRow[];

const quote = (symbol: string, price: string): WireQuote => ({
  symbol,
  price,
  change24h: '0.0000',
  volume24h: null,
  high24h: null,
  low24h: null,
  marketCap: null,
  timestamp: new Date().toISOString(),
  source: 'binance',
});

describe('PricesGateway fan-out', () => {
  let gateway: PricesGateway;
  let quotes: MarketQuotesService;
  let now: number;
  const tick = (...q: WireQuote[]) => quotes.apply({ origin: 'test', quotes: q, status: { source: 'binance', state: 'live', lastUpdate: null } }, false);
  const connect = (): FakeSocket => {
    const ws = new FakeSocket();
    (gateway as unknown as { connected(ws: unknown, ip: string, universe: ReadonlySet<string>, release: () => void, endpoint: string): void }).connected(
      ws,
      '127.0.0.1',
      new Set(['BTC', 'ETH']),
      () => undefined,
      '/ws/prices',
    );
    return ws;
  };
  const later = (ms: number) => jest.setSystemTime((now += ms));

  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    now = Date.parse('2026-11-28T12:00:00Z');
    jest.setSystemTime(now);
    const config = new AppConfig();
    const catalogue = new AssetCatalogueService({
      enabled: async () => ASSETS,
      names: async () => ASSETS.map((a) => ({ symbol: a.symbol, name: a.name })),
    } as unknown as AssetsRepository);
    await catalogue.onModuleInit();
    const events = new MarketEvents();
    quotes = new MarketQuotesService(config, catalogue, new MemoryPubSub(), events);
    gateway = new PricesGateway(
      config,
      { httpAdapter: { getHttpServer: () => createServer() } } as unknown as HttpAdapterHost,
      quotes,
      catalogue,
      new MetricsService(quotes),
      events,
    );
    gateway.onApplicationBootstrap();
    tick(quote('BTC', '100.00000000'), quote('ETH', '10.00000000'));
    await gateway.broadcast(); // nobody listens yet: the tick is consumed
  });
  afterEach(async () => {
    await gateway.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('pings the sockets a tenth at a time, each once per WS_HEARTBEAT_MS, and drops one that did not answer its ping', () => {
    const sockets = Array.from({ length: 20 }, () => connect());
    const step = 3_000; // WS_HEARTBEAT_MS (30 s by default) / 10
    const pings = () => sockets.map((s) => s.pings);
    jest.advanceTimersByTime(step);
    expect(pings().filter((n) => n === 1)).toHaveLength(2);
    jest.advanceTimersByTime(step * 9);
    expect(pings()).toEqual(sockets.map(() => 1));
    // Every socket answers but the third; the next walk starts a full interval after the first.
    for (const [i, s] of sockets.entries()) if (i !== 2) s.emit('pong');
    jest.advanceTimersByTime(step);
    expect(pings()).toEqual(sockets.map(() => 1));
    jest.advanceTimersByTime(step * 10);
    expect(sockets[2].readyState).toBe(3);
    expect(pings().filter((n, i) => i !== 2 && n === 2)).toHaveLength(19);
    expect(gateway.connections()).toBe(19);
  });

  it('sends every asset first, then only what changed, as the same bytes to every client', async () => {
    const a = connect();
    const b = connect();
    expect(Object.keys(a.updates()[0].prices)).toEqual(['BTC', 'ETH']);
    later(1_000);
    tick(quote('BTC', '101.00000000'));
    await gateway.broadcast();
    expect(a.updates()).toHaveLength(2);
    expect(a.updates()[1].prices).toEqual({ BTC: expect.objectContaining({ price: '101.00000000' }) });
    expect(a.sent.at(-1)).toBe(b.sent.at(-1));
  });

  it('pushes a tick as soon as it arrives, and what arrives within the next second together when that second is up', async () => {
    const a = connect();
    await jest.advanceTimersByTimeAsync(1_000);
    tick(quote('BTC', '101.00000000'));
    await jest.advanceTimersByTimeAsync(1);
    expect(a.updates()).toHaveLength(2);
    expect(a.updates()[1].prices).toEqual({ BTC: expect.objectContaining({ price: '101.00000000' }) });
    tick(quote('ETH', '11.00000000'));
    await jest.advanceTimersByTimeAsync(300);
    tick(quote('BTC', '102.00000000'));
    await jest.advanceTimersByTimeAsync(600);
    expect(a.updates()).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(100);
    expect(a.updates()).toHaveLength(3);
    expect(a.updates()[2].prices).toEqual({ BTC: expect.objectContaining({ price: '102.00000000' }), ETH: expect.objectContaining({ price: '11.00000000' }) });
    // Nothing new, nothing sent.
    await jest.advanceTimersByTimeAsync(5_000);
    expect(a.updates()).toHaveLength(3);
  });

  it('catches up a client it had to skip a second later, without waiting for another tick', async () => {
    const slow = connect();
    slow.bufferedAmount = 10 * 1024 * 1024;
    await jest.advanceTimersByTimeAsync(1_000);
    tick(quote('BTC', '101.00000000'));
    await jest.advanceTimersByTimeAsync(1);
    expect(slow.updates()).toHaveLength(1);
    slow.bufferedAmount = 0;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(slow.updates()).toHaveLength(2);
    expect(slow.updates()[1].prices).toEqual({
      BTC: expect.objectContaining({ price: '101.00000000' }),
      ETH: expect.objectContaining({ price: '10.00000000' }),
    });
  });

  it('sends a client at most one update a second', async () => {
    const a = connect();
    later(400);
    tick(quote('BTC', '101.00000000'));
    await gateway.broadcast();
    expect(a.updates()).toHaveLength(1);
    later(1_000);
    tick(quote('ETH', '11.00000000'));
    await gateway.broadcast();
    // It skipped a tick, so it gets every asset again, BTC's change included.
    expect(a.updates()[1].prices).toEqual({ BTC: expect.objectContaining({ price: '101.00000000' }), ETH: expect.objectContaining({ price: '11.00000000' }) });
  });

  it('skips a client whose send buffer is full and catches it up with one full update once it drains', async () => {
    const slow = connect();
    const fast = connect();
    slow.bufferedAmount = 10 * 1024 * 1024;
    for (let i = 1; i <= 5; i++) {
      later(1_000);
      tick(quote('BTC', `${100 + i}.00000000`));
      await gateway.broadcast();
    }
    expect(slow.updates()).toHaveLength(1);
    expect(fast.updates()).toHaveLength(6);
    slow.bufferedAmount = 0;
    later(1_000);
    tick(quote('ETH', '12.00000000'));
    await gateway.broadcast();
    expect(slow.updates()).toHaveLength(2);
    expect(slow.updates()[1].prices).toEqual({
      BTC: expect.objectContaining({ price: '105.00000000' }),
      ETH: expect.objectContaining({ price: '12.00000000' }),
    });
    expect(Object.keys(fast.updates()[6].prices)).toEqual(['ETH']);
  });
});
