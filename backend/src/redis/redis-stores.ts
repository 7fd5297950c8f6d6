import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DistributedLock, KeyValueStore, MessageHandler, PubSub } from './redis.interfaces';

const INCREMENT = `
local c = redis.call('INCRBY', KEYS[1], ARGV[2])
local t = redis.call('PTTL', KEYS[1])
if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); t = tonumber(ARGV[1]) end
return {c, t}`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export class RedisKeyValueStore implements KeyValueStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | null> {
    return this.redis.get(this.prefix + key);
  }
  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs) await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)));
    else await this.redis.set(this.prefix + key, value);
  }
  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK';
  }
  async del(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
  async exists(key: string): Promise<boolean> {
    return (await this.redis.exists(this.prefix + key)) === 1;
  }
  async existsAny(keys: string[]): Promise<boolean> {
    return keys.length > 0 && (await this.redis.exists(...keys.map((key) => this.prefix + key))) > 0;
  }
  async increment(key: string, windowMs: number, by = 1): Promise<{ count: number; resetInMs: number }> {
    const [count, ttl] = (await this.redis.eval(INCREMENT, 1, this.prefix + key, String(windowMs), String(by))) as [number, number];
    return { count, resetInMs: ttl };
  }
}

/** Publishes on the command connection; subscribes on a dedicated one, as Redis requires. */
export class RedisPubSub implements PubSub {
  private readonly handlers = new Map<string, Set<MessageHandler>>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      for (const h of this.handlers.get(channel) ?? []) h(message);
    });
    // After a reconnect, subscribe to every wanted channel again: ioredis re-subscribes
    // only what Redis had confirmed, not what was asked for while it was unreachable.
    subscriber.on('ready', () => {
      const channels = [...this.handlers.keys()];
      if (channels.length) subscriber.subscribe(...channels).catch(() => undefined);
    });
  }

  /**
   * While Redis is unreachable the message still reaches this instance's own
   * subscribers (its sockets), and the call fails so the caller knows the
   * other instances did not get it. Only when the connection is not ready:
   * then the message certainly never left, so nobody gets it twice.
   */
  async publish(channel: string, message: string): Promise<void> {
    const full = this.prefix + channel;
    try {
      await this.publisher.publish(full, message);
    } catch (e) {
      if (this.publisher.status === 'ready') throw e;
      for (const h of this.handlers.get(full) ?? []) h(message);
      throw new Error(`Redis unreachable, delivered on this instance only: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Resolves once Redis confirmed the subscription. While Redis is unreachable
   * it resolves at once: the handler already gets this instance's own messages
   * (see `publish`), and the 'ready' listener subscribes when Redis is back.
   */
  async subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    const full = this.prefix + channel;
    let set = this.handlers.get(full);
    if (!set) {
      const fresh = new Set<MessageHandler>();
      this.handlers.set(full, (set = fresh));
      const confirmed = this.subscriber.subscribe(full);
      if (this.subscriber.status !== 'ready') {
        confirmed.catch(() => undefined);
      } else {
        try {
          await confirmed;
        } catch (e) {
          if (this.handlers.get(full) === fresh && fresh.size === 0) this.handlers.delete(full);
          throw e;
        }
      }
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0) {
        this.handlers.delete(full);
        await this.subscriber.unsubscribe(full).catch(() => undefined);
      }
    };
  }
}

export class RedisLock implements DistributedLock {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async acquire(name: string, ttlMs: number): Promise<string | null> {
    const token = randomUUID();
    const ok = await this.redis.set(`${this.prefix}lock:${name}`, token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? token : null;
  }
  async renew(name: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, `${this.prefix}lock:${name}`, token, String(ttlMs))) === 1;
  }
  async release(name: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, `${this.prefix}lock:${name}`, token);
  }
}
