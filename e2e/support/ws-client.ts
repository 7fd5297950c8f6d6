import WebSocket from 'ws';

export type WsMessage = Record<string, unknown> & { type: string };

/** A WebSocket client that keeps every JSON message and lets a test wait for one. */
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
