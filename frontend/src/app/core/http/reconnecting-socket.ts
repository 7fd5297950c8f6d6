import type { DestroyRef } from '@angular/core';

/** The longest wait between two tries. */
const MAX_BACKOFF_MS = 30_000;

export interface SocketEvents {
  /** The socket opened (a store that counts itself connected from here calls `succeeded`). */
  opened?(): void;
  /** A message from the server, as sent. */
  message(data: string): void;
  /**
   * The socket closed by itself (the server or the network ended it; never after `stop` or `drop`). Answer `'retry'`
   * to try again after the backoff, or `'wait'` when the caller decides (it calls `retryLater` itself, e.g. once a token
   * refresh succeeded).
   */
  closed?(code: number | undefined): 'retry' | 'wait';
}

/**
 * One WebSocket to `path` on the page's own origin, kept open while wanted: after a drop it tries again with a delay
 * that doubles from 1 s up to 30 s, and starts again from 1 s once the caller says a connection succeeded. When the
 * injector that owns it is destroyed (the app closes), the socket is closed and no try is left pending or made later,
 * whatever the caller was waiting for. The live price and user-event stores each keep one.
 */
export class ReconnectingSocket {
  private socket: WebSocket | null = null;
  private wanted = false;
  private destroyed = false;
  private tries = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly path: string,
    private readonly on: SocketEvents,
    destroyRef: DestroyRef,
  ) {
    destroyRef.onDestroy(() => {
      this.destroyed = true;
      this.stop();
    });
  }

  /** Whether a socket is wanted (between `start` and `stop`, and the app not destroyed). */
  get active(): boolean {
    return this.wanted;
  }

  /** Opens the socket now, unless it is wanted already; the backoff starts from its shortest delay. */
  start(): void {
    if (this.wanted || this.destroyed) return;
    this.wanted = true;
    this.tries = 0;
    this.open();
  }

  /** Closes the socket and cancels any pending try; nothing is opened until `start`. */
  stop(): void {
    this.wanted = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.drop();
  }

  /** The connection is good (open, or signed in): the next drop waits the shortest delay again. */
  succeeded(): void {
    this.tries = 0;
  }

  /** Closes the current socket without `closed` being told; the socket stays wanted and `retryLater` opens the next. */
  drop(): void {
    const ws = this.socket;
    this.socket = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.close();
    }
  }

  /** Opens a new socket after the next backoff delay, if one is still wanted then and none is open. */
  retryLater(): void {
    if (!this.wanted) return;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.tries++);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.wanted && !this.socket) this.open();
    }, delay);
  }

  send(data: string): void {
    this.socket?.send(data);
  }

  private open(): void {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}${this.path}`);
    this.socket = ws;
    ws.onopen = () => this.on.opened?.();
    ws.onmessage = (ev: MessageEvent<string>) => this.on.message(ev.data);
    ws.onclose = (ev?: { code?: number }) => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (!this.wanted) return;
      if ((this.on.closed?.(ev?.code) ?? 'retry') === 'retry') this.retryLater();
    };
  }
}
