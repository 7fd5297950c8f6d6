import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface ConnectAttempt {
  at: number;
  url: string;
  /** 101 when upgraded, else the HTTP status the handshake was refused with. */
  status: number;
}

/**
 * Shared machinery of the streaming-provider fakes: an HTTP server on
 * 127.0.0.1 that upgrades to WebSocket, pushes frames on a timer, and can
 * drop every connection, go silent, send garbage or refuse handshakes.
 */
export abstract class FakeWsProvider {
  readonly attempts: ConnectAttempt[] = [];
  protected readonly prices = new Map<string, string>();
  private server?: Server;
  private wss?: WebSocketServer;
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Map<WebSocket, URL>();
  private timer?: NodeJS.Timeout;
  private silent = false;
  private refusal: { status: number; retryAfterSeconds?: number } | null = null;
  private port = 0;

  constructor(private readonly intervalMs: number) {}

  /** ws://127.0.0.1:port (pass as COINCAP_WS_URL / BINANCE_WS_URL after adding the provider's path). */
  get origin(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  abstract get url(): string;

  /** Frames for one push to a client connected with `url`. */
  protected abstract frames(url: URL): string[];

  /** Whether a handshake for `url` is one the real provider accepts. */
  protected abstract accepts(url: URL): boolean;

  async start(): Promise<this> {
    this.server = createServer((_req, res) => res.writeHead(404).end());
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'ws://fake');
      if (this.refusal) {
        this.attempts.push({ at: Date.now(), url: url.toString(), status: this.refusal.status });
        const retry = this.refusal.retryAfterSeconds !== undefined ? `Retry-After: ${this.refusal.retryAfterSeconds}\r\n` : '';
        socket.end(`HTTP/1.1 ${this.refusal.status} Refused\r\n${retry}Content-Length: 0\r\nConnection: close\r\n\r\n`);
        return;
      }
      if (!this.accepts(url)) {
        this.attempts.push({ at: Date.now(), url: url.toString(), status: 400 });
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      this.attempts.push({ at: Date.now(), url: url.toString(), status: 101 });
      this.wss!.handleUpgrade(req, socket, head, (ws) => {
        this.clients.set(ws, url);
        ws.on('close', () => this.clients.delete(ws));
        this.push(ws, url);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.timer = setInterval(() => {
      for (const [ws, url] of this.clients) this.push(ws, url);
    }, this.intervalMs);
    return this;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const ws of this.clients.keys()) ws.terminate();
    for (const s of this.sockets) s.destroy();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Open connections right now. */
  get connections(): number {
    return this.clients.size;
  }

  /** Drops every connection abruptly (no close frame). */
  disconnectAll(): void {
    for (const ws of this.clients.keys()) ws.terminate();
  }

  /** Keeps connections open but sends nothing. */
  setSilent(silent: boolean): void {
    this.silent = silent;
  }

  /** Refuses new handshakes with this HTTP status (e.g. 429 with Retry-After); null accepts again. */
  refuseConnections(refusal: { status: number; retryAfterSeconds?: number } | null): void {
    this.refusal = refusal;
  }

  /** Sends a raw text frame to every client (malformed payloads). */
  sendRaw(text: string): void {
    for (const ws of this.clients.keys()) ws.send(text);
  }

  private push(ws: WebSocket, url: URL): void {
    if (this.silent || ws.readyState !== WebSocket.OPEN) return;
    for (const f of this.frames(url)) ws.send(f);
  }
}
