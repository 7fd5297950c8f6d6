import { isPlatformServer } from '@angular/common';
import { DestroyRef, Injectable, PLATFORM_ID, computed, inject, signal } from '@angular/core';
import { listPrices } from '../../api/fn/market/list-prices';
import type { FeedStatusDto, PriceQuoteDto } from '../../api/models';
import { ApiNow } from '../http/api-now';
import { silentErrors } from '../http/http-context';

export interface LiveQuote extends PriceQuoteDto {
  /** Direction of the last change, for the green/red flash. */
  dir: 'up' | 'down' | null;
  /** Bumped on every change; its parity alternates the flash animation so it restarts. */
  seq: number;
}

type ServerMessage =
  | { type: 'connection' }
  | { type: 'price_update'; prices: Record<string, PriceQuoteDto> }
  | { type: 'status'; source: string; state: string; lastUpdate: string | null }
  | { type: 'pong' | 'error' };

/**
 * Live prices: one WebSocket to `/ws/prices` on the page's own origin (the REST
 * snapshot `/api/prices`, through the SDK, gives the feed status and a first
 * picture). Reconnects with backoff, until the app (its root injector) is destroyed: then the socket is closed and
 * no reconnect is left pending.
 */
@Injectable({ providedIn: 'root' })
export class PricesStore {
  private readonly api = inject(ApiNow);
  private readonly server = isPlatformServer(inject(PLATFORM_ID));
  private socket: WebSocket | null = null;
  private retry = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private destroyed = false;

  readonly quotes = signal<Record<string, LiveQuote>>({});
  readonly status = signal<FeedStatusDto | null>(null);
  readonly connected = signal(false);
  readonly simulated = computed(() => this.status()?.source === 'simulated');

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      clearTimeout(this.retryTimer);
      const socket = this.socket;
      this.socket = null;
      if (socket) {
        socket.onclose = null;
        socket.close();
      }
      this.connected.set(false);
    });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.loadSnapshot();
    // A server render shows the snapshot; the live socket is the browser's.
    if (!this.server) this.connect();
  }

  quote(symbol: string): LiveQuote | undefined {
    return this.quotes()[symbol.toUpperCase()];
  }

  private async loadSnapshot(): Promise<void> {
    try {
      // On a page the server rendered, the snapshot it was rendered with, in the same turn (ApiNow).
      const answer = this.api.invoke(listPrices, {}, silentErrors());
      const res = answer instanceof Promise ? await answer : answer;
      this.status.set(res.status);
      this.merge(res.prices);
    } catch {
      /* the socket will fill in */
    }
  }

  private connect(): void {
    if (this.destroyed) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/ws/prices`);
    this.socket = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.connected.set(true);
      ws.send(JSON.stringify({ type: 'get_status' }));
    };
    ws.onmessage = (ev: MessageEvent<string>) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(ev.data) as ServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'price_update') this.merge(msg.prices);
      else if (msg.type === 'status') this.status.set({ source: msg.source, state: msg.state, lastUpdate: msg.lastUpdate });
    };
    ws.onclose = () => {
      this.connected.set(false);
      this.socket = null;
      const delay = Math.min(30_000, 1000 * 2 ** this.retry++);
      this.retryTimer = setTimeout(() => this.connect(), delay);
    };
  }

  private merge(prices: Record<string, PriceQuoteDto>): void {
    this.quotes.update((current) => {
      const next = { ...current };
      for (const [symbol, q] of Object.entries(prices)) {
        const prev = current[symbol];
        const before = prev ? Number(prev.price) : NaN;
        const now = Number(q.price);
        const dir = now > before ? 'up' : now < before ? 'down' : (prev?.dir ?? null);
        const changed = prev !== undefined && now !== before;
        next[symbol] = { ...q, dir: prev ? dir : null, seq: (prev?.seq ?? 0) + (changed ? 1 : 0) };
      }
      return next;
    });
  }
}
