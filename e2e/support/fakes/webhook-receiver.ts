import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../wait';

/** One POST that reached the receiver: its path, headers, exact body and what it was answered. */
export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  raw: string;
  body: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
  answered: number;
}

/**
 * An integrator's webhook receiver on 127.0.0.1 (the suites run with WEBHOOK_ALLOW_PRIVATE_TARGETS=true): records every
 * request with its raw body and answers each with the next status of `answers` (then `otherwise`), a redirect
 * carrying `Location` when the status is a 3xx.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server!: Server;
  private port = 0;

  constructor(
    /** Statuses to answer, in order; each request takes the next. */
    readonly answers: number[] = [],
    readonly otherwise = 200,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const status = this.answers.shift() ?? this.otherwise;
        let body: ReceivedWebhook['body'];
        try {
          body = JSON.parse(raw) as ReceivedWebhook['body'];
        } catch {
          body = { id: '', type: '', createdAt: '', data: {} };
        }
        this.received.push({ path: req.url ?? '', headers: req.headers, raw, body, answered: status });
        if (status >= 300 && status < 400) res.writeHead(status, { Location: `http://127.0.0.1:${this.port}/elsewhere` }).end();
        else res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'thanks' : `no (${status})`);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Deliveries of events of `type` about the object `dataId` (an order, deposit, withdrawal or alert id). */
  about(type: string, dataId: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.body.type === type && (r.body.data.id === dataId || r.body.data.orderId === dataId));
  }

  /** Waits until at least `count` deliveries match and returns them. */
  async waitFor(what: string, match: (r: ReceivedWebhook) => boolean, count = 1, timeoutMs = 15_000): Promise<ReceivedWebhook[]> {
    return waitFor(
      () => {
        const found = this.received.filter(match);
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
      what,
    );
  }
}

/**
 * A receiver that accepts every request and never answers (a hostile or broken integrator): counts the requests it
 * holds open now, the most it ever held at once, and every one that came.
 */
export class HangingReceiver {
  open = 0;
  mostOpen = 0;
  arrived = 0;
  private server!: Server;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<this> {
    this.server = createServer((req) => {
      this.arrived++;
      this.open++;
      this.mostOpen = Math.max(this.mostOpen, this.open);
      req.resume();
      req.socket.once('close', () => this.open--);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
