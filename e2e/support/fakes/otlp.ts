import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A local OpenTelemetry collector's OTLP/HTTP receiver for traces: `POST /v1/traces` with the JSON encoding of an
 * ExportTraceServiceRequest (`resourceSpans` → `scopeSpans` → `spans`, ids as hex strings, attributes as
 * `{key, value: {stringValue | intValue | …}}`), as the OpenTelemetry SDK's http/json exporter sends it; answers
 * `{"partialSuccess": {}}`. Protobuf bodies are refused with 415, as a collector without that encoding would.
 *
 *   const otlp = await new FakeOtlp().start();
 *   startApp(suiteEnv(db.url, { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url }));
 *   const spans = await waitFor(() => otlp.trace(traceId).length > 3 && otlp.trace(traceId));
 */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** The instrumentation that made it, e.g. @opentelemetry/instrumentation-pg. */
  scope: string;
  attributes: Record<string, unknown>;
  /** When it started, in nanoseconds since the epoch. */
  startNanos: bigint;
  /** The resource's attributes (service.name, …). */
  resource: Record<string, unknown>;
}

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface ExportTraceServiceRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      scope?: { name?: string };
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        startTimeUnixNano: string | number;
        attributes?: KeyValue[];
      }[];
    }[];
  }[];
}

function valueOf(v: AnyValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(valueOf);
  if (v.kvlistValue) return attributesOf(v.kvlistValue.values);
  return undefined;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
}

export class FakeOtlp {
  readonly spans: ReceivedSpan[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  /** The base URL to pass as OTEL_EXPORTER_OTLP_ENDPOINT (the exporter posts to `/v1/traces` under it). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
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

  /** The spans of one trace received so far. */
  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown): void => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname !== '/v1/traces') return answer(404, { message: 'not found' });
      if (!String(req.headers['content-type']).startsWith('application/json')) return answer(415, { message: 'only the JSON encoding is accepted here' });
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      let request: ExportTraceServiceRequest;
      try {
        request = JSON.parse(body.toString('utf8')) as ExportTraceServiceRequest;
      } catch {
        return answer(400, { message: 'not JSON' });
      }
      for (const rs of request.resourceSpans ?? []) {
        const resource = attributesOf(rs.resource?.attributes);
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            this.spans.push({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId || undefined,
              name: s.name,
              kind: s.kind,
              scope: ss.scope?.name ?? '',
              attributes: attributesOf(s.attributes),
              startNanos: BigInt(s.startTimeUnixNano),
              resource,
            });
          }
        }
      }
      answer(200, { partialSuccess: {} });
    });
  }
}
