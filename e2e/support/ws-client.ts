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

/** A `/ws/user` socket of an instance, signed in with the access-token cookie and past its `authenticated` message. */
export async function openUserSocket(httpUrl: string, accessToken: string): Promise<TestSocket> {
  const socket = await TestSocket.open(wsUrl(httpUrl, '/ws/user'), { headers: { Cookie: `access_token=${accessToken}` } });
  await socket.next((m) => m.type === 'authenticated', 10_000);
  return socket;
}
