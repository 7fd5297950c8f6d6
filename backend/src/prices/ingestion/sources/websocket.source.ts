import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { PriceSourceName } from '../../../config/app-config';
import { parseRetryAfter } from './coingecko.client';
import { backoffMs, type PriceSource, type SourceQuote, type SourceSink } from './price-source';

/** What a frame meant: quotes, nothing of interest, or a malformed payload. */
export type FrameResult = SourceQuote[] | 'ignore' | { malformed: string };

/**
 * A streaming provider: connects, parses frames, reconnects with exponential
 * backoff (at least Retry-After when the handshake is refused with 429/418),
 * and drops a connection that has been silent for `silenceMs`.
 */
export abstract class WebSocketSource implements PriceSource {
  abstract readonly name: PriceSourceName;
  private ws?: WebSocket;
  private running = false;
  private attempts = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  private lastMessageAt = 0;

  constructor(readonly silenceMs: number) {}

  protected abstract url(): string;
  abstract parse(text: string, receivedAt: Date): FrameResult;

  start(sink: SourceSink): void {
    this.running = true;
    this.connect(sink);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.watchdog);
    this.ws?.terminate();
    this.ws = undefined;
  }

  private connect(sink: SourceSink): void {
    if (!this.running) return;
    let retryAfterMs = 0;
    const ws = new WebSocket(this.url(), { handshakeTimeout: Math.min(10_000, this.silenceMs), perMessageDeflate: false, maxPayload: 1 << 20 });
    this.ws = ws;
    ws.on('open', () => {
      this.lastMessageAt = Date.now();
      clearInterval(this.watchdog);
      this.watchdog = setInterval(
        () => {
          if (Date.now() - this.lastMessageAt > this.silenceMs) {
            sink.down(`no message for ${this.silenceMs} ms`);
            ws.terminate();
          }
        },
        Math.max(50, Math.floor(this.silenceMs / 4)),
      );
    });
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      retryAfterMs = parseRetryAfter(typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : null) ?? 0;
      sink.error(`handshake refused with HTTP ${res.statusCode}${retryAfterMs ? `; retry after ${retryAfterMs} ms` : ''}`);
      res.resume();
      ws.terminate();
    });
    ws.on('message', (data, isBinary) => {
      this.lastMessageAt = Date.now();
      if (isBinary) return sink.error('unexpected binary frame');
      const result = this.parse(data.toString(), new Date(this.lastMessageAt));
      if (result === 'ignore') return;
      if (!Array.isArray(result)) return sink.error(`malformed frame: ${result.malformed}`);
      if (result.length) {
        this.attempts = 0;
        sink.quotes(result);
      }
    });
    ws.on('error', () => {
      /* 'close' follows and reports */
    });
    ws.on('close', (code) => {
      clearInterval(this.watchdog);
      if (this.ws !== ws || !this.running) return;
      sink.down(`connection closed (${code})`);
      const delay = Math.max(backoffMs(this.attempts++, 250, 30_000), retryAfterMs);
      this.reconnectTimer = setTimeout(() => this.connect(sink), delay);
    });
  }
}
