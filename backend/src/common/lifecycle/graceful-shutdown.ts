import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** A step run as soon as shutdown starts, while HTTP drains (close WebSockets, give up a leader lease, stop a schedule). */
export interface ShutdownStep {
  name: string;
  run(): Promise<void> | void;
}

export interface GracefulShutdownOptions {
  server: Server;
  /** Everything that must finish, or be cut, before the process exits. */
  graceMs: number;
  logger: Logger;
  /** Run at once and in parallel with the HTTP drain. */
  steps: ShutdownStep[];
  /** After the drain: Nest's own shutdown (module hooks: pending work, Redis, then the database pool). */
  close(): Promise<void>;
  /** Injected for tests; defaults to process.exit. */
  exit?: (code: number) => void;
}

/** How often idle keep-alive connections are closed while draining (they may go idle at any moment). */
const IDLE_SWEEP_MS = 50;

/**
 * SIGTERM / SIGINT: stop taking connections, let in-flight work finish within
 * SHUTDOWN_GRACE_MS, then exit 0. In order:
 * 1. the listening socket closes (new connections are refused, so the load
 *    balancer moves on); requests still arriving on open keep-alive connections
 *    are served with `Connection: close`; idle connections are closed;
 * 2. at the same time the `steps`: WebSockets close with 1001, the price
 *    leader gives up its lease (another instance takes over at once), schedules stop;
 * 3. once every HTTP connection has ended (in-flight requests answered, their
 *    transactions committed), Nest's hooks run: engines finish their current
 *    step, Redis and the database pool close;
 * 4. exit 0. If the grace period runs out, the remaining connections are cut
 *    and the exit code is 1. A second signal exits at once (code 1).
 * Every phase is one structured log line (`shutdown` field).
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): void {
  const { server, graceMs, logger, steps } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let started: number | undefined;

  // Responses in flight, so that the ones answered during the drain say `Connection: close`
  // (one shared listener and `on`, not `once`, which wraps: nothing allocated per request on this path).
  const inflight = new Set<ServerResponse>();
  function responseClosed(this: ServerResponse): void {
    inflight.delete(this);
  }
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inflight.add(res);
    res.on('close', responseClosed);
  });

  const onSignal = (signal: NodeJS.Signals): void => {
    if (started !== undefined) {
      logger.warn({ shutdown: 'forced', signal, elapsedMs: Date.now() - started }, 'second signal: exiting now');
      exit(1);
      return;
    }
    started = Date.now();
    void shutDown(signal, started).then(exit, (e: unknown) => {
      logger.error({ shutdown: 'failed', err: e }, 'shutdown failed');
      exit(1);
    });
  };

  async function shutDown(signal: NodeJS.Signals, t0: number): Promise<number> {
    const deadline = t0 + graceMs;
    logger.info({ shutdown: 'started', signal, graceMs }, 'shutting down: no new connections, draining in-flight work');
    for (const res of inflight) closeAfter(res);
    const drained = drainHttp(server, deadline);
    const stepsDone = Promise.all(
      steps.map(async (step) => {
        try {
          await step.run();
        } catch (e) {
          logger.warn({ shutdown: 'step', step: step.name, err: e }, `shutdown step ${step.name} failed`);
        }
      }),
    );
    const httpOk = await drained;
    const stepsOk = await withDeadline(stepsDone, deadline);
    logger.info(
      { shutdown: 'drained', elapsedMs: Date.now() - t0, http: httpOk ? 'drained' : 'cut', steps: stepsOk ? 'done' : 'cut' },
      httpOk ? 'in-flight requests finished' : 'grace period over: remaining connections cut',
    );
    // Nest's hooks get what is left of the grace period, and at least a second to close the pools.
    const closed = await withDeadline(options.close(), Math.max(deadline, Date.now() + 1_000));
    const clean = httpOk && stepsOk && closed;
    logger.info({ shutdown: 'complete', elapsedMs: Date.now() - t0, clean }, clean ? 'shutdown complete' : 'shutdown complete (forced)');
    return clean ? 0 : 1;
  }

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * Closes the listening socket and resolves true once every connection has
 * ended, or false at `deadline` (after destroying the ones left).
 */
function drainHttp(server: Server, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    // Requests arriving on connections that are still open get told to close them after the answer.
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => closeAfter(res));
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      clearInterval(sweep);
      clearTimeout(timer);
      resolve(ok);
    };
    server.close(() => finish(true));
    server.closeIdleConnections();
    // A connection whose request has been answered becomes idle: close it then, not after keepAliveTimeout.
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const timer = setTimeout(
      () => {
        server.closeAllConnections();
        finish(false);
      },
      Math.max(0, deadline - Date.now()),
    );
  });
}

/** The connection of this response closes once it is sent (and the client is told so). */
function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
  res.shouldKeepAlive = false;
}

/** Whether `work` settled before `deadline` (its failure counts as settled: it was logged where it happened). */
async function withDeadline(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([
      work.then(
        () => true as const,
        () => true as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
