import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { clientIp, compileTrustProxy, type TrustProxy } from '../../common/http/client-ip';
import { AppConfig } from '../../config/config.service';
import { MetricsService, type WsEndpoint } from '../../metrics/metrics.service';
import { AssetCatalogueService } from '../quotes/asset-catalogue.service';
import { MarketEvents } from '../quotes/market-events';
import { MarketQuotesService } from '../quotes/market-quotes.service';
import { toQuoteDto } from '../prices.service';
import {
  isPriceStreamClientType,
  PRICE_STREAM_MAX_MESSAGES_PER_SECOND,
  PRICE_STREAM_MAX_SYMBOLS_PER_MESSAGE,
  type PriceStreamErrorCode,
  type PriceStreamQuote,
  type PriceStreamServerMessage,
} from './price-stream.messages';

const PATH = /^\/ws\/prices(?:\/([^/]+))?\/?$/;
/** API.md: at most one price_update a second per client. */
const BROADCAST_MS = 1_000;
/**
 * A big fan-out yields to the event loop once it has sent for this long, so HTTP keeps being
 * served during it (HTTP p99 stays well under 100 ms). Time-based rather than every N sends:
 * each yield lets whatever else is ready run before the rest of the clients get their tick
 * (the bare `ws` broadcast the latency goal is measured against never yields), so yield only
 * as often as the HTTP latency needs.
 */
const SEND_SLICE_MS = 15;
/** The clock is read every this many sends, not on each one. */
const SLICE_CHECK_EVERY = 32;
/** The heartbeat pings a slice of the sockets this many times per WS_HEARTBEAT_MS (see heartbeatStep). */
const HEARTBEAT_STEPS = 10;
const MAX_SYMBOLS_PER_MESSAGE = PRICE_STREAM_MAX_SYMBOLS_PER_MESSAGE;
const MAX_MESSAGES_PER_SECOND = PRICE_STREAM_MAX_MESSAGES_PER_SECOND;

interface Client {
  ws: WebSocket;
  ip: string;
  endpoint: WsEndpoint;
  /** Symbols this socket may see: every asset on /ws/prices, one on /ws/prices/:symbol (shared by their sockets, never changed). */
  universe: ReadonlySet<string>;
  /** What it is subscribed to: `group.symbols` (no per-socket copy; thousands of sockets share a few groups). */
  group: Group;
  alive: boolean;
  lastSentAt: number;
  /** Skipped a tick (slow, or too soon): the next message carries every subscribed asset. */
  needsFull: boolean;
  windowStart: number;
  windowCount: number;
}

interface Group {
  key: string;
  symbols: string[];
  clients: Set<Client>;
}

/**
 * `/ws/prices` and `/ws/prices/:symbol` (API.md "WebSocket").
 *
 * A raw `ws` server rather than a Nest @WebSocketGateway: Nest's WsAdapter
 * routes upgrades by exact path only, so it cannot serve `/ws/prices/:symbol`,
 * and its upgrade listener destroys sockets for paths it does not know. At
 * bootstrap this gateway therefore takes over the HTTP server's `upgrade`
 * event: its own paths are handled here, every other upgrade is passed to the
 * listeners that were registered before (Nest gateways such as `/ws/user`).
 *
 * A tick (MarketEvents `updated`) is pushed as soon as it arrives (at most one fan-out a second; see
 * scheduleBroadcast), serialised once per distinct subscription, and the same
 * bytes are written to every client of that subscription. A client whose send buffer
 * (`bufferedAmount`) is over WS_MAX_BUFFERED_BYTES skips ticks and later gets
 * one full message, so a slow reader never makes memory grow.
 */
@Injectable()
export class PricesGateway implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PricesGateway');
  private readonly wss: WebSocketServer;
  private readonly groups = new Map<string, Group>();
  private readonly perIp = new Map<string, number>();
  private readonly changed = new Set<string>();
  /** The next fan-out, when one is due (see scheduleBroadcast). */
  private broadcastTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private broadcasting = false;
  /** When the last fan-out started. */
  private lastBroadcastAt = 0;
  private stopped = false;
  private server?: Server;
  private dispatcher?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  private previous: ((...args: unknown[]) => void)[] = [];
  /** Every open socket, in connection order: the heartbeat walks it a slice at a time. */
  private readonly clients = new Set<Client>();
  private pingCursor?: Iterator<Client>;
  private walkStartedAt = 0;
  private closing?: Promise<void>;
  private readonly trustProxy: TrustProxy;
  private offUpdated?: () => void;
  /** The universes of the sockets, shared: every asset (for the catalogue's current list), and each single asset. */
  private allSymbols?: { list: readonly unknown[]; set: ReadonlySet<string> };
  private readonly oneSymbol = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly quotes: MarketQuotesService,
    private readonly catalogue: AssetCatalogueService,
    private readonly metrics: MetricsService,
    private readonly events: MarketEvents,
  ) {
    this.trustProxy = compileTrustProxy(config.values.trustProxy);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: config.values.wsMaxMessageBytes, perMessageDeflate: false, clientTracking: false });
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    this.server = server;
    this.previous = server.listeners('upgrade') as ((...args: unknown[]) => void)[];
    server.removeAllListeners('upgrade');
    this.dispatcher = (req, socket, head) => {
      const pathname = (req.url ?? '/').split('?')[0];
      const m = PATH.exec(pathname);
      if (m) this.upgrade(req, socket, head, m[1]);
      else if (this.previous.length) for (const l of this.previous) l.call(server, req, socket, head);
      else socket.destroy();
    };
    server.on('upgrade', this.dispatcher);
    this.offUpdated = this.events.on('updated', (symbols) => {
      for (const s of symbols) this.changed.add(s);
      this.scheduleBroadcast();
    });
    this.heartbeatTimer = setInterval(() => this.heartbeatStep(), Math.max(10, Math.floor(this.config.values.wsHeartbeatMs / HEARTBEAT_STEPS)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.goingAway();
  }

  /**
   * Graceful shutdown: no more ticks or upgrades, and every socket is closed
   * with 1001 "going away" (clients reconnect, through the load balancer, to
   * another instance). Resolves once the sockets are closed. Safe to call twice.
   */
  async goingAway(): Promise<void> {
    this.stopped = true;
    this.offUpdated?.();
    clearTimeout(this.broadcastTimer);
    clearInterval(this.heartbeatTimer);
    if (this.server && this.dispatcher) {
      this.server.off('upgrade', this.dispatcher);
      for (const l of this.previous) this.server.on('upgrade', l);
      this.dispatcher = undefined;
    }
    const closed: Promise<void>[] = [];
    for (const g of this.groups.values()) {
      for (const c of g.clients) {
        closed.push(new Promise<void>((resolve) => c.ws.once('close', () => resolve())));
        c.ws.close(1001, 'server shutting down');
      }
    }
    await Promise.all(closed);
    this.closing ??= new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await this.closing;
  }

  /** Open sockets on this instance. */
  connections(): number {
    return this.clients.size;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, rawSymbol: string | undefined): void {
    let universe: ReadonlySet<string>;
    if (rawSymbol !== undefined) {
      let symbol = '';
      try {
        symbol = decodeURIComponent(rawSymbol).toUpperCase();
      } catch {
        /* not a symbol */
      }
      if (!this.catalogue.bySymbolOrUndefined(symbol)) return reject(socket, 404, 'Not Found');
      let one = this.oneSymbol.get(symbol);
      if (!one) this.oneSymbol.set(symbol, (one = new Set([symbol])));
      universe = one;
    } else {
      universe = this.everySymbol();
    }
    const ip = clientIp(req, this.trustProxy);
    const open = this.perIp.get(ip) ?? 0;
    if (open >= this.config.values.wsMaxConnectionsPerIp) return reject(socket, 429, 'Too Many Requests', { 'Retry-After': '10' });
    this.perIp.set(ip, open + 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      const n = (this.perIp.get(ip) ?? 1) - 1;
      if (n <= 0) this.perIp.delete(ip);
      else this.perIp.set(ip, n);
    };
    socket.once('close', release);
    const endpoint: WsEndpoint = rawSymbol === undefined ? '/ws/prices' : '/ws/prices/:symbol';
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, ip, universe, release, endpoint));
  }

  /** Every catalogued asset, as a set shared by the sockets of /ws/prices until the catalogue's list changes. */
  private everySymbol(): ReadonlySet<string> {
    const list = this.catalogue.list();
    if (this.allSymbols?.list !== list) this.allSymbols = { list, set: new Set(this.catalogue.symbols()) };
    return this.allSymbols.set;
  }

  private connected(ws: WebSocket, ip: string, universe: ReadonlySet<string>, release: () => void, endpoint: WsEndpoint): void {
    this.metrics.wsOpened(endpoint);
    const now = Date.now();
    const client: Client = {
      ws,
      ip,
      endpoint,
      universe,
      group: undefined as unknown as Group,
      alive: true,
      lastSentAt: 0,
      needsFull: true,
      windowStart: now,
      windowCount: 0,
    };
    this.join(client, universe);
    this.clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('message', (data, isBinary) => this.onMessage(client, data, isBinary));
    ws.on('error', () => ws.terminate());
    ws.once('close', (code: number) => {
      this.clients.delete(client);
      this.metrics.wsClosed(endpoint, code);
      this.leave(client);
      release();
    });
    this.send(client, { type: 'connection', status: 'connected', timestamp: new Date(now).toISOString() });
    // The first price_update carries every subscribed asset.
    const full = this.frame(client.group.symbols);
    if (full) {
      this.sendBytes(client, full);
      client.lastSentAt = now;
      client.needsFull = false;
    }
  }

  private join(client: Client, subscribed: Iterable<string>): void {
    const symbols = [...subscribed].sort();
    const key = symbols.join(',');
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { key, symbols, clients: new Set() }));
    group.clients.add(client);
    client.group = group;
  }

  private leave(client: Client): void {
    const g = client.group;
    g.clients.delete(client);
    if (g.clients.size === 0) this.groups.delete(g.key);
  }

  /** Only the messages of price-stream.messages.ts, which the AsyncAPI document describes, can be sent. */
  private send(client: Client, message: PriceStreamServerMessage): void {
    this.sendBytes(client, Buffer.from(JSON.stringify(message)));
  }

  /** A message serialised by `frame` (a price_update). */
  private sendBytes(client: Client, data: Buffer): void {
    if (client.ws.readyState !== WebSocket.OPEN) return;
    client.ws.send(data, { binary: false });
  }

  private error(client: Client, code: PriceStreamErrorCode, message: string): void {
    this.send(client, { type: 'error', code, message });
  }

  private onMessage(client: Client, data: RawData, isBinary: boolean): void {
    client.alive = true;
    const now = Date.now();
    if (now - client.windowStart >= 1_000) {
      client.windowStart = now;
      client.windowCount = 0;
    }
    if (++client.windowCount > MAX_MESSAGES_PER_SECOND) {
      if (client.windowCount === MAX_MESSAGES_PER_SECOND + 1) this.error(client, 'RATE_LIMITED', `at most ${MAX_MESSAGES_PER_SECOND} messages a second`);
      return;
    }
    if (isBinary) return this.error(client, 'MALFORMED', 'messages are JSON text');
    let msg: unknown;
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return this.error(client, 'MALFORMED', 'message is not valid JSON');
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg) || typeof (msg as { type?: unknown }).type !== 'string') {
      return this.error(client, 'MALFORMED', 'message must be an object with a string "type"');
    }
    const m = msg as { type: string; symbol?: unknown; symbols?: unknown };
    if (!isPriceStreamClientType(m.type)) return this.error(client, 'UNKNOWN_TYPE', `unknown message type`);
    switch (m.type) {
      case 'ping':
        return this.send(client, { type: 'pong', timestamp: new Date().toISOString() });
      case 'get_status': {
        const s = this.quotes.status();
        return this.send(client, { type: 'status', source: s.source, state: s.state, lastUpdate: s.lastUpdate });
      }
      case 'get_price': {
        const symbol = typeof m.symbol === 'string' ? m.symbol.toUpperCase() : '';
        if (!client.universe.has(symbol)) return this.error(client, 'UNKNOWN_SYMBOL', 'symbol must be a known asset of this stream');
        const q = this.quotes.latest(symbol);
        if (!q) return this.error(client, 'NO_QUOTE', `no quote for ${symbol} yet`);
        return this.send(client, { type: 'price', symbol, ...toQuoteDto(q) });
      }
      case 'subscribe':
      case 'unsubscribe':
        return this.changeSubscription(client, m.type, m.symbols);
      default: {
        // Every type of PRICE_STREAM_CLIENT_MESSAGE_TYPES has its case (a compile error otherwise).
        const unhandled: never = m.type;
        return this.error(client, 'UNKNOWN_TYPE', `unknown message type ${String(unhandled)}`);
      }
    }
  }

  private changeSubscription(client: Client, type: 'subscribe' | 'unsubscribe', raw: unknown): void {
    if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_SYMBOLS_PER_MESSAGE || !raw.every((s) => typeof s === 'string' && s.length <= 16)) {
      return this.error(client, 'MALFORMED', `symbols must be a list of 1 to ${MAX_SYMBOLS_PER_MESSAGE} symbols`);
    }
    const symbols = (raw as string[]).map((s) => s.toUpperCase());
    const unknown = symbols.filter((s) => !client.universe.has(s));
    if (unknown.length) return this.error(client, 'UNKNOWN_SYMBOL', `unknown symbols: ${unknown.slice(0, 5).join(', ')}`);
    const subscribed = new Set(client.group.symbols);
    for (const s of symbols) {
      if (type === 'subscribe') subscribed.add(s);
      else subscribed.delete(s);
    }
    this.leave(client);
    this.join(client, subscribed);
    // Newly subscribed assets arrive with the next tick, in full.
    if (type === 'subscribe') client.needsFull = true;
    this.send(client, { type: type === 'subscribe' ? 'subscribed' : 'unsubscribed', symbols: client.group.symbols });
  }

  /** A price_update for `symbols` (those with a quote), or null when none has one. */
  private frame(symbols: Iterable<string>): Buffer | null {
    const prices: Record<string, PriceStreamQuote> = {};
    let any = false;
    for (const s of symbols) {
      const q = this.quotes.latest(s);
      if (q) {
        prices[s] = toQuoteDto(q);
        any = true;
      }
    }
    const message: PriceStreamServerMessage = { type: 'price_update', prices, timestamp: new Date().toISOString() };
    return any ? Buffer.from(JSON.stringify(message)) : null;
  }

  /**
   * A fan-out as soon as a tick has arrived, unless one started less than a second ago: then
   * when that second is up, with every tick that arrived meanwhile. A price is pushed the moment
   * it is known, not at the next beat of a clock of our own (up to a second later).
   */
  private scheduleBroadcast(): void {
    if (this.broadcastTimer || this.stopped) return;
    const wait = Math.max(0, this.lastBroadcastAt + BROADCAST_MS - Date.now());
    this.broadcastTimer = setTimeout(() => {
      this.broadcastTimer = undefined;
      void this.broadcast();
    }, wait);
  }

  /** What changed since the last fan-out, one frame per subscription, the same bytes to each client. */
  async broadcast(): Promise<void> {
    // A fan-out in progress schedules the next when it ends.
    if (this.broadcasting) return;
    if (this.groups.size === 0) {
      this.changed.clear();
      return;
    }
    const changed = new Set(this.changed);
    this.changed.clear();
    this.broadcasting = true;
    /** Some client was skipped (slow, or too soon) and is owed a full update. */
    let owed = false;
    try {
      const maxBuffered = this.config.values.wsMaxBufferedBytes;
      // Clients are stamped with the tick's start, so yielding mid-fan-out never makes the next tick look too soon.
      const tickAt = Date.now();
      this.lastBroadcastAt = tickAt;
      const slices = new SendSlices();
      // The live sets, not copies: a socket that joins during a yield is visited (and gets this
      // tick, or is marked for the next one when too soon); one that leaves is not.
      for (const group of this.groups.values()) {
        const deltaPayload = changed.size ? this.frame(group.symbols.filter((s) => changed.has(s))) : null;
        const delta = deltaPayload && textFrame(deltaPayload);
        let full: Buffer | null | undefined;
        for (const client of group.clients) {
          if (client.ws.readyState !== WebSocket.OPEN) continue;
          const tooSoon = tickAt - client.lastSentAt < BROADCAST_MS - 100;
          if (client.ws.bufferedAmount > maxBuffered || (tooSoon && (delta || client.needsFull))) {
            client.needsFull = true;
            owed = true;
            continue;
          }
          let data: Buffer | null;
          if (client.needsFull) {
            if (full === undefined) {
              const payload = this.frame(group.symbols);
              full = payload && textFrame(payload);
            }
            data = full;
          } else data = delta;
          if (!data) continue;
          writeFrame(client.ws, data);
          client.lastSentAt = tickAt;
          client.needsFull = false;
          if (slices.due()) await slices.yield();
        }
      }
    } finally {
      this.broadcasting = false;
      if (this.changed.size || owed) this.scheduleBroadcast();
    }
  }

  /**
   * One step of the heartbeat. A walk over the sockets pings each once and
   * terminates those that did not answer their previous ping; a walk starts
   * every WS_HEARTBEAT_MS and is spread over HEARTBEAT_STEPS steps (a tenth
   * of the sockets each), so each socket is pinged about once per interval as
   * with one round for all, but thousands of pings (and their pongs) never
   * land in one burst that would hold a tick back.
   */
  private heartbeatStep(): void {
    // Not between two slices of a fan-out (its yields let timers run): this step comes again shortly.
    if (this.broadcasting) return;
    const now = Date.now();
    if (!this.pingCursor) {
      if (now - this.walkStartedAt < this.config.values.wsHeartbeatMs) return;
      this.pingCursor = this.clients.values();
      this.walkStartedAt = now;
    }
    const slice = Math.ceil(this.clients.size / HEARTBEAT_STEPS);
    let dead = 0;
    for (let i = 0; i < slice; i++) {
      const next = this.pingCursor.next();
      if (next.done) {
        this.pingCursor = undefined;
        break;
      }
      const c = next.value;
      if (!c.alive) {
        c.ws.terminate();
        dead++;
        continue;
      }
      c.alive = false;
      if (c.ws.readyState === WebSocket.OPEN) c.ws.ping();
    }
    if (dead) this.logger.log(`dropped ${dead} dead price socket(s)`);
  }
}

/**
 * A complete WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, unmasked as
 * every server frame is, then the payload), built once per tick and
 * subscription and written as is to each of its sockets: the same bytes for
 * every client, no per-client framing or copying.
 */
export function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + n);
  frame[0] = 0x81;
  if (n < 126) frame[1] = n;
  else if (n < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/**
 * The pacing of a fan-out: after each send, `due()` says whether it has sent for SEND_SLICE_MS
 * since it last yielded (the clock is read every SLICE_CHECK_EVERY sends), and then `yield()`
 * lets the event loop run before it goes on.
 */
export class SendSlices {
  private sent = 0;
  private sliceStart = performance.now();

  due(): boolean {
    return ++this.sent % SLICE_CHECK_EVERY === 0 && performance.now() - this.sliceStart >= SEND_SLICE_MS;
  }

  async yield(): Promise<void> {
    await yieldToLoop();
    this.sliceStart = performance.now();
  }
}

/** What `writeFrame` reads of a `ws` socket: its TCP socket and whether its sender is between messages. */
interface WsInternals {
  _socket?: Duplex;
  _sender?: { _state?: number; _firstFragment?: boolean; _queue?: unknown[] };
}

/**
 * Writes a frame from `textFrame` straight to the socket under `ws`, which is
 * what `ws.send` ends with once it has framed. Only while the sender is idle
 * between whole messages (always, here: no compression, no fragments, no
 * queued Blob); otherwise the payload goes through `ws.send` so that frames
 * never interleave.
 */
export function writeFrame(ws: WebSocket, frame: Buffer): void {
  const { _socket: socket, _sender: sender } = ws as unknown as WsInternals;
  if (socket && sender && sender._state === 0 && sender._firstFragment === true && sender._queue?.length === 0) socket.write(frame);
  else ws.send(frame.subarray(frame[1] === 126 ? 4 : frame[1] === 127 ? 10 : 2), { binary: false });
}

function reject(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}): void {
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n${extra}\r\n`);
}
