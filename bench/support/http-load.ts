import { Agent, request } from 'node:http';
import { percentile } from './bench-util';

/** One request of a load: what to send. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface LoadSummary {
  sent: number;
  completed: number;
  /** Answers by status class: 2xx, 4xx, 5xx (and 1xx/3xx). */
  byStatus: Record<string, number>;
  /** Requests that got no HTTP answer (connection refused or reset, timeout). */
  errors: number;
  /**
   * Those by why: the error's code (or message), and `reused` when it came on a keep-alive connection that had
   * already carried an answer (a server closing an idle connection as the client reuses it), `new` otherwise.
   */
  errorsByReason: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  /** Achieved rate over the run, requests/s. */
  rate: number;
}

/**
 * An open-loop HTTP load at a fixed rate: requests are started on a clock (`rate` a second), not
 * when earlier ones return, so a slow server shows as latency rather than as fewer requests
 * (no coordinated omission). Latency runs from the request's start to the end of its answer; a
 * request waiting for a free connection of the agent waits on the clock too.
 */
export class RateLoad {
  readonly latencies: number[] = [];
  readonly byStatus: Record<string, number> = {};
  errors = 0;
  readonly errorsByReason: Record<string, number> = {};
  sent = 0;
  private completed = 0;
  private timer?: NodeJS.Timeout;
  private startedAt = 0;
  private stoppedAt = 0;
  private inFlight = new Set<Promise<void>>();
  private readonly agent: Agent;
  private readonly target: URL;
  private readonly timeoutMs: number;

  /**
   * `make(i)`: the i-th request; `onAnswer(i, status, body)` gets the parsed JSON body of each
   * answer when `wantBody` is set (only then is the body kept).
   */
  constructor(
    readonly name: string,
    baseUrl: string,
    readonly rate: number,
    private readonly make: (i: number) => LoadRequest,
    private readonly onAnswer?: (i: number, status: number, body: unknown) => void,
    opts: { maxSockets?: number; timeoutMs?: number } = {},
  ) {
    this.target = new URL(baseUrl);
    this.agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64 });
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  start(): void {
    if (this.rate <= 0) return;
    this.startedAt = performance.now();
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - this.startedAt) / 1000) * this.rate) - this.sent;
      for (let k = 0; k < due; k++) this.fire(this.sent++);
    }, 5);
  }

  /** Stops starting requests and waits for those in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stoppedAt = performance.now();
    await Promise.all([...this.inFlight]);
    this.agent.destroy();
  }

  summary(): LoadSummary {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const seconds = Math.max(0.001, ((this.stoppedAt || performance.now()) - this.startedAt) / 1000);
    return {
      sent: this.sent,
      completed: this.completed,
      byStatus: { ...this.byStatus },
      errors: this.errors,
      errorsByReason: { ...this.errorsByReason },
      p50: Math.round(percentile(sorted, 50)),
      p99: Math.round(percentile(sorted, 99)),
      max: Math.round(percentile(sorted, 100)),
      rate: this.completed / seconds,
    };
  }

  private fire(i: number): void {
    const r = this.make(i);
    const p = send(this.agent, this.target, r, this.timeoutMs, !!this.onAnswer).then(
      ({ status, body, ms }) => {
        this.completed++;
        this.latencies.push(ms);
        const cls = `${Math.floor(status / 100)}xx`;
        this.byStatus[cls] = (this.byStatus[cls] ?? 0) + 1;
        this.onAnswer?.(i, status, body);
      },
      (e: Error & { code?: string; reusedSocket?: boolean }) => {
        this.errors++;
        const why = `${e.code ?? e.message} (${e.reusedSocket ? 'reused' : 'new'} connection)`;
        this.errorsByReason[why] = (this.errorsByReason[why] ?? 0) + 1;
      },
    );
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}

/** One HTTP request with `agent`; the JSON body when `wantBody`. */
export function send(agent: Agent, target: URL, r: LoadRequest, timeoutMs: number, wantBody: boolean): Promise<{ status: number; body: unknown; ms: number }> {
  return new Promise((resolve, reject) => {
    const payload = r.body === undefined ? undefined : Buffer.from(JSON.stringify(r.body));
    const t0 = performance.now();
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: r.method,
        path: r.path,
        headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}), ...r.headers },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          if (wantBody) chunks.push(c);
        });
        res.on('end', () => {
          const ms = performance.now() - t0;
          let body: unknown;
          if (wantBody && chunks.length) {
            try {
              body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              body = undefined;
            }
          }
          resolve({ status: res.statusCode ?? 0, body, ms });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // Whether the request went out on a kept-alive connection that had carried an earlier answer (for the error's reason).
    req.on('error', (e: Error & { reusedSocket?: boolean }) => reject(Object.assign(e, { reusedSocket: req.reusedSocket })));
    req.end(payload);
  });
}

/** A keep-alive agent for one-off bursts (`send`). */
export function burstAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}
