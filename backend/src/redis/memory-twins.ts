import { randomUUID } from 'node:crypto';
import type { DistributedLock, KeyValueStore, MessageHandler, PubSub } from './redis.interfaces';

/** In-process twins of the Redis-backed stores, for the embedded default (one process). */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly data = new Map<string, { value: string; expiresAt: number }>();
  private sweeps = 0;

  private live(key: string): { value: string; expiresAt: number } | undefined {
    const entry = this.data.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.data.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    if (++this.sweeps % 1000 !== 0) return;
    const now = Date.now();
    for (const [k, v] of this.data) if (v.expiresAt <= now) this.data.delete(k);
  }

  async get(key: string): Promise<string | null> {
    return this.live(key)?.value ?? null;
  }
  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.sweep();
    this.data.set(key, { value, expiresAt: ttlMs ? Date.now() + ttlMs : Number.POSITIVE_INFINITY });
  }
  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.live(key)) return false;
    await this.set(key, value, ttlMs);
    return true;
  }
  async del(key: string): Promise<void> {
    this.data.delete(key);
  }
  async exists(key: string): Promise<boolean> {
    return this.live(key) !== undefined;
  }
  async existsAny(keys: string[]): Promise<boolean> {
    return keys.some((key) => this.live(key) !== undefined);
  }
  async increment(key: string, windowMs: number, by = 1): Promise<{ count: number; resetInMs: number }> {
    this.sweep();
    const now = Date.now();
    const entry = this.live(key);
    if (!entry) {
      this.data.set(key, { value: String(by), expiresAt: now + windowMs });
      return { count: by, resetInMs: windowMs };
    }
    entry.value = String(Number(entry.value) + by);
    return { count: Number(entry.value), resetInMs: entry.expiresAt - now };
  }
}

export class MemoryPubSub implements PubSub {
  private readonly handlers = new Map<string, Set<MessageHandler>>();

  async publish(channel: string, message: string): Promise<void> {
    for (const h of this.handlers.get(channel) ?? []) {
      queueMicrotask(() => h(message));
    }
  }
  async subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    return async () => {
      set.delete(handler);
    };
  }
}

export class MemoryLock implements DistributedLock {
  private readonly held = new Map<string, { token: string; expiresAt: number }>();

  async acquire(name: string, ttlMs: number): Promise<string | null> {
    const cur = this.held.get(name);
    if (cur && cur.expiresAt > Date.now()) return null;
    const token = randomUUID();
    this.held.set(name, { token, expiresAt: Date.now() + ttlMs });
    return token;
  }
  async renew(name: string, token: string, ttlMs: number): Promise<boolean> {
    const cur = this.held.get(name);
    if (!cur || cur.token !== token || cur.expiresAt <= Date.now()) return false;
    cur.expiresAt = Date.now() + ttlMs;
    return true;
  }
  async release(name: string, token: string): Promise<void> {
    if (this.held.get(name)?.token === token) this.held.delete(name);
  }
}
