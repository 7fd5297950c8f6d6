import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that forwards every connection to one target port,
 * which the test repoints: the stand-in for what sits in front of PostgreSQL in
 * production when the primary can change (PgBouncer, HAProxy with a primary
 * check, a virtual IP or a DNS name the failover tool moves). node-postgres
 * takes one host, so the app always connects here and never learns that the
 * server behind it changed.
 *
 * It does what those do, no more: a connection whose target refuses or dies is
 * closed on the client's side too (the app sees its connection end, after
 * whatever the server said last), and `repoint` cuts every connection to the
 * previous target (HAProxy's `on-marked-down shutdown-sessions`, PgBouncer's
 * `RECONNECT`), so no session outlives the switch on a server that is no
 * longer the primary.
 */
export class TcpProxy {
  private readonly open = new Set<Socket>();
  private readonly server: Server = createServer((client) => this.forward(client));
  private listeningPort = 0;

  private constructor(private targetPort: number) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = proxy.server.address();
    proxy.listeningPort = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  /** The port the app connects to. */
  get port(): number {
    return this.listeningPort;
  }

  get target(): number {
    return this.targetPort;
  }

  /** Connections from now on go to `port`; those open now (to the previous target) are cut. */
  repoint(port: number): void {
    this.targetPort = port;
    for (const socket of this.open) socket.destroy();
    this.open.clear();
  }

  /** Stops listening and cuts every connection. */
  async stop(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    this.open.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    const pair = [client, upstream];
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ]) {
      this.open.add(socket);
      socket.setNoDelay(true);
      // A reset or a refused connect cuts the other side at once; an orderly close (after, say, the server's
      // FATAL message) reaches the other side once what was already sent is delivered.
      socket.on('error', () => pair.forEach((s) => s.destroy()));
      socket.on('close', () => {
        this.open.delete(socket);
        other.end();
      });
      socket.pipe(other);
    }
  }
}
