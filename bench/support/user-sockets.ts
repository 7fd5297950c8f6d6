import { WebSocket } from 'ws';

/** What a `/ws/user` event is about: `order:<id>` (order_filled, order_cancelled), `alert:<id>`, else `notification:<id>`. */
export function userEventKey(msg: { type?: unknown; data?: unknown; notification?: unknown }): string | undefined {
  const data = (msg.data ?? {}) as { order?: { id?: unknown }; alert?: { id?: unknown } };
  if ((msg.type === 'order_filled' || msg.type === 'order_cancelled') && typeof data.order?.id === 'string') return `order:${data.order.id}`;
  if (msg.type === 'alert_triggered' && typeof data.alert?.id === 'string') return `alert:${data.alert.id}`;
  const n = msg.notification as { id?: unknown } | undefined;
  return typeof n?.id === 'string' ? `notification:${n.id}` : undefined;
}

/** One signed-in `/ws/user` socket: every event it received, by key, with the arrival times (performance.now()). */
export class UserSocket {
  readonly events = new Map<string, number[]>();
  closed?: { code: number; at: number };

  private constructor(
    readonly userId: string,
    readonly ws: WebSocket,
  ) {}

  /** Opens `/ws/user` at `wsBase` with the user's Bearer token and resolves once the server said `authenticated`. */
  static open(wsBase: string, user: { id: string; accessToken: string }, onEvent: (socket: UserSocket, key: string, at: number) => void): Promise<UserSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${wsBase}/ws/user`, { headers: { Authorization: `Bearer ${user.accessToken}` }, perMessageDeflate: false });
      const socket = new UserSocket(user.id, ws);
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`/ws/user of ${user.id}: not authenticated within 30 s`));
      }, 30_000);
      ws.on('message', (data) => {
        const at = performance.now();
        let msg: { type?: unknown; data?: unknown; notification?: unknown };
        try {
          msg = JSON.parse(data.toString()) as typeof msg;
        } catch {
          return;
        }
        if (msg.type === 'authenticated') {
          clearTimeout(timer);
          resolve(socket);
          return;
        }
        if (msg.type === 'error') {
          clearTimeout(timer);
          reject(new Error(`/ws/user of ${user.id}: ${JSON.stringify(msg)}`));
          return;
        }
        const key = userEventKey(msg);
        if (!key) return;
        const seen = socket.events.get(key);
        if (seen) seen.push(at);
        else socket.events.set(key, [at]);
        onEvent(socket, key, at);
      });
      ws.on('close', (code) => {
        socket.closed ??= { code, at: performance.now() };
        clearTimeout(timer);
        reject(new Error(`/ws/user of ${user.id}: closed (${code}) before it was authenticated`));
      });
      ws.on('error', () => undefined);
    });
  }

  count(key: string): number {
    return this.events.get(key)?.length ?? 0;
  }

  close(): void {
    this.ws.terminate();
  }
}

/**
 * Sockets of many users, with waits for sets of events: `expect(keys)` resolves once every key
 * has arrived on its owner's sockets (at least once on each), with the time the last one did.
 */
export class UserSocketPool {
  readonly sockets: UserSocket[] = [];
  readonly byUser = new Map<string, UserSocket[]>();
  private waiters: { pending: Map<string, number>; last: number; resolve: (last: number) => void }[] = [];

  /** Opens `perUser` sockets for each user, `concurrency` handshakes at a time. */
  static async open(wsBase: string, users: { id: string; accessToken: string }[], perUser = 1, concurrency = 50): Promise<UserSocketPool> {
    const pool = new UserSocketPool();
    const jobs = users.flatMap((u) => Array.from({ length: perUser }, () => u));
    for (let i = 0; i < jobs.length; i += concurrency) {
      const opened = await Promise.all(jobs.slice(i, i + concurrency).map((u) => UserSocket.open(wsBase, u, (s, key, at) => pool.arrived(s, key, at))));
      for (const s of opened) {
        pool.sockets.push(s);
        const mine = pool.byUser.get(s.userId) ?? [];
        mine.push(s);
        pool.byUser.set(s.userId, mine);
      }
    }
    return pool;
  }

  /**
   * Resolves with the arrival time of the last of `expected` (key → owner's user id) once each has
   * arrived on every socket of its owner; rejects after `timeoutMs` naming what is missing.
   */
  expect(expected: Map<string, string>, timeoutMs: number): Promise<number> {
    const pending = new Map<string, number>();
    let last = 0;
    for (const [key, userId] of expected) {
      const sockets = this.byUser.get(userId) ?? [];
      const missing = sockets.filter((s) => s.count(key) === 0).length;
      for (const s of sockets) if (s.count(key) > 0) last = Math.max(last, s.events.get(key)![0]);
      if (missing) pending.set(key, missing);
    }
    if (pending.size === 0) return Promise.resolve(last);
    return new Promise((resolve, reject) => {
      const waiter = { pending, last, resolve: (t: number) => (clearTimeout(timer), resolve(t)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${pending.size} expected /ws/user event(s) not delivered within ${timeoutMs} ms: ${[...pending.keys()].slice(0, 5).join(', ')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Every socket's count of each key, for the exactly-once checks. */
  counts(key: string, userId: string): number[] {
    return (this.byUser.get(userId) ?? []).map((s) => s.count(key));
  }

  closeAll(): void {
    for (const s of this.sockets) s.close();
  }

  private arrived(socket: UserSocket, key: string, at: number): void {
    if (!this.waiters.length) return;
    for (const w of [...this.waiters]) {
      const left = w.pending.get(key);
      if (left === undefined) continue;
      // The first arrival on each of the owner's sockets counts; a second one on the same socket is a duplicate, not progress.
      if (socket.count(key) !== 1) continue;
      w.last = Math.max(w.last, at);
      if (left <= 1) w.pending.delete(key);
      else w.pending.set(key, left - 1);
      if (w.pending.size === 0) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(w.last);
      }
    }
  }
}
