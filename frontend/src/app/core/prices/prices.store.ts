import { isPlatformServer } from '@angular/common';
import { DestroyRef, Injectable, PLATFORM_ID, computed, inject, signal } from '@angular/core';
import { listPrices } from '../../api/fn/market/list-prices';
import type { FeedStatusDto, PriceQuoteDto } from '../../api/models';
import { ApiNow } from '../http/api-now';
import { ReconnectingSocket } from '../http/reconnecting-socket';
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
 * picture). Reconnects with backoff (ReconnectingSocket), until the app (its root injector) is destroyed: then the
 * socket is closed and no reconnect is left pending.
 */
@Injectable({ providedIn: 'root' })
export class PricesStore {
  private readonly api = inject(ApiNow);
  private readonly server = isPlatformServer(inject(PLATFORM_ID));
  private readonly socket = new ReconnectingSocket(
    '/ws/prices',
    {
      opened: () => {
        this.socket.succeeded();
        this.connected.set(true);
        this.socket.send(JSON.stringify({ type: 'get_status' }));
      },
      message: (data) => this.onMessage(data),
      closed: () => {
        this.connected.set(false);
        return 'retry';
      },
    },
    inject(DestroyRef),
  );
  private started = false;

  readonly quotes = signal<Record<string, LiveQuote>>({});
  readonly status = signal<FeedStatusDto | null>(null);
  readonly connected = signal(false);
  readonly simulated = computed(() => this.status()?.source === 'simulated');

  constructor() {
    inject(DestroyRef).onDestroy(() => this.connected.set(false));
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.loadSnapshot();
    // A server render shows the snapshot; the live socket is the browser's.
    if (!this.server) this.socket.start();
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

  private onMessage(data: string): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (msg.type === 'price_update') this.merge(msg.prices);
    else if (msg.type === 'status') this.status.set({ source: msg.source, state: msg.state, lastUpdate: msg.lastUpdate });
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
