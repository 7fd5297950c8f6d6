import { WebSocket, type ClientOptions } from 'ws';

export interface WsMessage {
  type: string;
  [key: string]: unknown;
}

/** A WebSocket test client that records every message with its arrival time. */
export class TestSocket {
  readonly messages: { at: number; msg: WsMessage }[] = [];
  closed?: { code: number; reason: string };
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      let msg: WsMessage;
      try {
        msg = JSON.parse(data.toString()) as WsMessage;
      } catch {
        msg = { type: '<non-json>', raw: data.toString() };
      }
      this.messages.push({ at: Date.now(), msg });
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  static open(url: string, options?: ClientOptions): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const t = new TestSocket(ws);
      ws.once('open', () => resolve(t));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`handshake refused: ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** The first message (after index `from`) matching `pred`. */
  async next(pred: (m: WsMessage) => boolean, timeoutMs = 5_000, from = 0): Promise<WsMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.messages.slice(from).find((e) => pred(e.msg));
      if (hit) return hit.msg;
      if (Date.now() > deadline) throw new Error(`no matching message in ${timeoutMs} ms; got types: ${this.messages.map((m) => m.msg.type).join(',')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Sends and waits for the first reply of `type` after it. */
  async ask(value: unknown, type: string, timeoutMs = 5_000): Promise<WsMessage> {
    const from = this.messages.length;
    this.send(value);
    return this.next((m) => m.type === type, timeoutMs, from);
  }

  async waitClosed(timeoutMs = 5_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket still open');
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.closed;
  }

  close(): void {
    this.ws.terminate();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export const wsUrl = (httpUrl: string, path: string): string => httpUrl.replace(/^http/, 'ws') + path;

/** A /ws/user test client: connects with headers (cookie auth) and waits for messages by predicate or type. */
export class WsClient {
  readonly messages: WsMessage[] = [];
  closed?: { code: number; reason: string };
  private waiters: { match: (m: WsMessage) => boolean; resolve: (m: WsMessage) => void }[] = [];
  private closeWaiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const m = JSON.parse(data.toString()) as WsMessage;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(m)) return true;
        w.resolve(m);
        return false;
      });
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const w of this.closeWaiters) w();
    });
  }

  /** Opens `ws://…<path>` on the app's origin; `headers` e.g. `{ Cookie: 'access_token=…' }`. */
  static async connect(appUrl: string, path: string, headers: Record<string, string> = {}): Promise<WsClient> {
    const socket = new WebSocket(appUrl.replace(/^http/, 'ws') + path, { headers });
    const client = new WsClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(payload: unknown): void {
    this.socket.send(typeof payload === 'string' ? payload : JSON.stringify(payload));
  }

  /** The first message (already received or to come) matching `match`. */
  async waitFor(match: (m: WsMessage) => boolean, timeoutMs = 10_000, what = 'a message'): Promise<WsMessage> {
    const seen = this.messages.find(match);
    if (seen) return seen;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Waits for the next message of `type` that arrives after this call. */
  async next(type: string, timeoutMs = 10_000): Promise<WsMessage> {
    const already = this.messages.length;
    return this.waitFor((m) => m.type === type && this.messages.indexOf(m) >= already, timeoutMs, `"${type}" message`);
  }

  async waitForClose(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    if (this.closed) return this.closed;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return this.closed!;
  }

  close(): void {
    this.socket.close();
  }
}
