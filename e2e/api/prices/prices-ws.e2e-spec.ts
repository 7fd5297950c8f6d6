import request from 'supertest';
import { RunningApp, startApp, suiteEnv } from '../../support/app';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { waitFor } from '../../support/wait';
import { TestSocket, wsUrl, type WsMessage } from '../../support/ws-client';

// Boots app processes and waits on real timers (leases, breakers, ticks).
jest.setTimeout(60_000);

type Prices = Record<string, { price: string; change24h: string; timestamp: string; source: string }>;
const updates = (s: TestSocket): { at: number; msg: WsMessage }[] => s.messages.filter((m) => m.msg.type === 'price_update');

describe('prices: the /ws/prices WebSocket', () => {
  let db: TestDatabase;
  let app: RunningApp;
  const sockets: TestSocket[] = [];
  const open = async (path: string, options?: ConstructorParameters<typeof import('ws').WebSocket>[2]) => {
    const s = await TestSocket.open(wsUrl(app.url, path), options as never);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(
      suiteEnv(db.url, {
        SIMULATED_VOLATILITY: '0.5',
        SIMULATED_SEED: '11',
        WS_MAX_CONNECTIONS_PER_IP: '12',
        WS_HEARTBEAT_MS: '400',
        WS_MAX_MESSAGE_BYTES: '1024',
      }),
    );
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it('greets, then pushes every asset first and at most one update a second afterwards', async () => {
    const s = await open('/ws/prices');
    const hello = await s.next((m) => m.type === 'connection');
    expect(hello).toEqual({ type: 'connection', status: 'connected', timestamp: expect.any(String) });
    const first = await s.next((m) => m.type === 'price_update');
    const prices = first.prices as Prices;
    expect(Object.keys(prices).sort()).toEqual([
      'ADA',
      'ARB',
      'ATOM',
      'AVAX',
      'BNB',
      'BTC',
      'DOGE',
      'DOT',
      'ETH',
      'LINK',
      'LTC',
      'NEAR',
      'OP',
      'POL',
      'SOL',
      'UNI',
      'USDC',
      'USDT',
      'XLM',
      'XRP',
    ]);
    expect(prices.BTC).toEqual({
      price: expect.stringMatching(/^\d+\.\d{8}$/),
      change24h: expect.stringMatching(/^-?\d+\.\d+$/),
      timestamp: expect.any(String),
      source: 'simulated',
    });
    // Updates keep coming (three of them; the bound only tells a stopped stream from a busy machine), never two
    // within a second of each other.
    const all = await waitFor(() => updates(s).length >= 3 && updates(s), 30_000, 'three price updates');
    for (let i = 1; i < all.length; i++) expect(all[i].at - all[i - 1].at).toBeGreaterThanOrEqual(850);
  });

  it('limits /ws/prices/:symbol to that symbol and refuses an unknown symbol at the handshake', async () => {
    const s = await open('/ws/prices/eth');
    const first = await s.next((m) => m.type === 'price_update');
    expect(Object.keys(first.prices as Prices)).toEqual(['ETH']);
    const err = await s.ask({ type: 'get_price', symbol: 'BTC' }, 'error');
    expect(err.code).toBe('UNKNOWN_SYMBOL');
    const price = await s.ask({ type: 'get_price', symbol: 'eth' }, 'price');
    expect(price).toMatchObject({
      type: 'price',
      symbol: 'ETH',
      price: expect.stringMatching(/^\d+\.\d{8}$/),
      timestamp: expect.any(String),
      source: 'simulated',
    });
    await expect(TestSocket.open(wsUrl(app.url, '/ws/prices/NOPE'))).rejects.toMatchObject({ status: 404 });
  });

  it('answers ping, get_status and get_price', async () => {
    const s = await open('/ws/prices');
    expect(await s.ask({ type: 'ping' }, 'pong')).toMatchObject({ type: 'pong' });
    expect(await s.ask({ type: 'get_status' }, 'status')).toEqual({ type: 'status', source: 'simulated', state: 'live', lastUpdate: expect.any(String) });
    const price = await s.ask({ type: 'get_price', symbol: 'BTC' }, 'price');
    const rest = (await request(app.url).get('/api/prices/BTC').expect(200)).body;
    expect(price.symbol).toBe('BTC');
    expect(typeof price.price).toBe('string');
    expect(rest.source).toBe('simulated');
  });

  it('narrows and widens the stream with unsubscribe and subscribe', async () => {
    const s = await open('/ws/prices');
    await s.next((m) => m.type === 'price_update');
    const others = ['ETH', 'BNB', 'SOL', 'XRP', 'ADA', 'DOGE', 'AVAX', 'DOT', 'LINK', 'POL', 'LTC', 'UNI', 'ATOM', 'XLM', 'NEAR', 'ARB', 'OP', 'USDT', 'USDC'];
    const unsub = await s.ask({ type: 'unsubscribe', symbols: others }, 'unsubscribed');
    expect(unsub.symbols).toEqual(['BTC']);
    const from = s.messages.length;
    const onlyBtc = await s.next((m) => m.type === 'price_update', 3_000, from);
    expect(Object.keys(onlyBtc.prices as Prices)).toEqual(['BTC']);
    const sub = await s.ask({ type: 'subscribe', symbols: ['eth'] }, 'subscribed');
    expect(sub.symbols).toEqual(['BTC', 'ETH']);
    const both = await s.next((m) => m.type === 'price_update' && Object.keys(m.prices as Prices).includes('ETH'), 3_000, s.messages.length);
    expect(Object.keys(both.prices as Prices).sort()).toEqual(['BTC', 'ETH']);
    expect((await s.ask({ type: 'subscribe', symbols: ['NOPE'] }, 'error')).code).toBe('UNKNOWN_SYMBOL');
  });

  it('answers garbage with error codes, keeps that socket open and never disturbs other clients', async () => {
    const victim = await open('/ws/prices');
    const bystander = await open('/ws/prices');
    await victim.next((m) => m.type === 'price_update');
    expect((await victim.ask('{"type": ', 'error')).code).toBe('MALFORMED');
    expect((await victim.ask('[1,2,3]', 'error')).code).toBe('MALFORMED');
    expect((await victim.ask({ type: 'launch_rockets' }, 'error')).code).toBe('UNKNOWN_TYPE');
    expect((await victim.ask({ type: 'subscribe', symbols: 'BTC' }, 'error')).code).toBe('MALFORMED');
    const before = victim.messages.length;
    victim.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    expect((await victim.next((m) => m.type === 'error', 3_000, before)).code).toBe('MALFORMED');
    expect(victim.closed).toBeUndefined();
    expect((await victim.ask({ type: 'ping' }, 'pong')).type).toBe('pong');

    // Over the size limit: only that socket is closed (1009), the bystander keeps receiving.
    victim.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(5_000) }));
    expect((await victim.waitClosed()).code).toBe(1009);
    const mark = bystander.messages.length;
    await bystander.next((m) => m.type === 'price_update', 3_000, mark);
    await request(app.url).get('/health').expect(200);
  });

  it('refuses connections over the per-IP limit with 429', async () => {
    for (let i = 0; i < 12; i++) await open('/ws/prices');
    await expect(TestSocket.open(wsUrl(app.url, '/ws/prices'))).rejects.toMatchObject({ status: 429 });
    for (const s of sockets.splice(0)) s.close();
    // Slots are released when sockets close.
    await new Promise((r) => setTimeout(r, 300));
    await open('/ws/prices');
  });

  it('drops a socket that stops answering pings', async () => {
    const dead = await open('/ws/prices', { autoPong: false });
    const alive = await open('/ws/prices');
    const closed = await dead.waitClosed(5_000);
    expect(closed.code).toBe(1006);
    expect(alive.closed).toBeUndefined();
  });
});
