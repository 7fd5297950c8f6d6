import { Redis } from 'ioredis';
import { freePort } from './app';
import { Child, spawnChild } from './processes';
import { waitFor } from './wait';

/**
 * A Redis server of one suite's own, on a free port, without persistence, so
 * the suite can kill and restart it (the shared Redis on :6379 is never touched).
 * A restart comes back empty, as a crashed cache without persistence would.
 * With a `password` it requires one (requirepass), as in production, and `url` carries it.
 */
export class PrivateRedis {
  private child?: Child;

  private constructor(
    readonly port: number,
    readonly password?: string,
  ) {}

  static async start(opts: { password?: string } = {}): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), opts.password);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://${this.password ? `:${encodeURIComponent(this.password)}@` : ''}127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on the same port and waits until it answers PING. */
  async start(): Promise<void> {
    const auth = this.password ? ['--requirepass', this.password] : [];
    const child = spawnChild('redis-server', [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      ...auth,
    ]);
    this.child = child;
    await waitFor(
      async () => {
        if (child.process.exitCode !== null) throw new Error(`redis-server exited: ${child.output().slice(-2000)}`);
        return (await this.ping()) === 'PONG';
      },
      15_000,
      `redis-server on :${this.port}`,
    );
  }

  /** SIGKILL: the server dies at once, clients see their connections drop. */
  async kill(): Promise<void> {
    await this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  async stop(): Promise<void> {
    await this.child?.kill('SIGTERM');
    this.child = undefined;
  }

  private async ping(): Promise<string | null> {
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.ping();
    } catch {
      return null;
    } finally {
      client.disconnect();
    }
  }
}
