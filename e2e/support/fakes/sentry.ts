import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';

/**
 * A local Sentry ingest: `POST /api/<project>/envelope/` takes envelopes as sentry.io does (newline-delimited: an
 * envelope header, then per item an item header and its payload, a payload of `length` bytes when the header says
 * so; gzip or deflate bodies) and answers `{"id": …}`. What arrived is kept as received, for tests that look for
 * anything that should not have left.
 *
 *   const sentry = await new FakeSentry().start();
 *   startApp(suiteEnv(db.url, { SENTRY_DSN: sentry.dsn }));
 *   const [event] = await waitFor(() => sentry.events().length && sentry.events());
 *   expect(sentry.rawBodies().join('\n')).not.toContain(email);
 */
export interface EnvelopeItem {
  header: { type: string; length?: number; [key: string]: unknown };
  /** The payload parsed as JSON, or its text when it is not JSON. */
  payload: unknown;
}

export interface Envelope {
  project: string;
  /** The `sentry_key` the SDK authenticated with (query string or X-Sentry-Auth). */
  key: string | undefined;
  header: Record<string, unknown>;
  items: EnvelopeItem[];
  /** The whole body, decompressed, as text. */
  raw: string;
}

/** A Sentry error event, as much of it as tests read. */
export interface SentryEvent {
  event_id: string;
  release?: string;
  environment?: string;
  level?: string;
  tags?: Record<string, string>;
  request?: { method?: string; url?: string; headers?: Record<string, string>; [key: string]: unknown };
  exception?: { values: { type: string; value: string }[] };
  [key: string]: unknown;
}

export const PROJECT_ID = '4242';
export const PUBLIC_KEY = 'e2e0fa4e5bb64d2f9ad1c0ffee000001';

/** Splits an envelope body into its header and items (Sentry's envelope format). */
export function parseEnvelope(body: Buffer): Pick<Envelope, 'header' | 'items'> {
  let at = 0;
  const line = (): Buffer => {
    const end = body.indexOf(0x0a, at);
    const out = body.subarray(at, end === -1 ? body.length : end);
    at = end === -1 ? body.length : end + 1;
    return out;
  };
  const json = (b: Buffer): unknown => {
    const text = b.toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  };
  const header = json(line()) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  while (at < body.length) {
    const headerLine = line();
    if (headerLine.length === 0) continue;
    const itemHeader = JSON.parse(headerLine.toString('utf8')) as EnvelopeItem['header'];
    let payload: Buffer;
    if (typeof itemHeader.length === 'number') {
      payload = body.subarray(at, at + itemHeader.length);
      at += itemHeader.length;
      if (body[at] === 0x0a) at++;
    } else {
      payload = line();
    }
    items.push({ header: itemHeader, payload: json(payload) });
  }
  return { header, items };
}

export class FakeSentry {
  readonly envelopes: Envelope[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  /** The DSN to pass as SENTRY_DSN. */
  get dsn(): string {
    return `http://${PUBLIC_KEY}@127.0.0.1:${this.port}/${PROJECT_ID}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Every error event received so far (items of type `event`). */
  events(): SentryEvent[] {
    return this.envelopes.flatMap((e) => e.items.filter((i) => i.header.type === 'event').map((i) => i.payload as SentryEvent));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/api\/(\d+)\/envelope\/?$/.exec(url.pathname);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown): void => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      if (req.method !== 'POST' || !match) return answer(404, { detail: 'not found' });
      let body = Buffer.concat(chunks);
      const encoding = req.headers['content-encoding'];
      if (encoding === 'gzip') body = gunzipSync(body);
      else if (encoding === 'deflate') body = inflateSync(body);
      const auth = /sentry_key=([^,\s&]+)/.exec(String(req.headers['x-sentry-auth'] ?? ''))?.[1];
      const key = url.searchParams.get('sentry_key') ?? auth;
      if (match[1] !== PROJECT_ID || key !== PUBLIC_KEY) return answer(401, { detail: 'invalid project or key' });
      const parsed = parseEnvelope(body);
      this.envelopes.push({ project: match[1], key, ...parsed, raw: body.toString('utf8') });
      answer(200, { id: (parsed.header.event_id as string | undefined) ?? null });
    });
  }
}
