/** Key-value with TTL: the cache, revoked tokens, counters. */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** SET NX: true when this call created the key. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Whether any of these keys exists, in one round trip. */
  existsAny(keys: string[]): Promise<boolean>;
  /** Fixed-window counter: adds `by` (default 1) and starts the window on the first hit. */
  increment(key: string, windowMs: number, by?: number): Promise<{ count: number; resetInMs: number }>;
}

export type MessageHandler = (message: string) => void;

/** Fan-out between instances (ticks, user events). */
export interface PubSub {
  publish(channel: string, message: string): Promise<void>;
  /** Returns a function that ends this subscription. */
  subscribe(channel: string, handler: MessageHandler): Promise<() => Promise<void>>;
}

/** A lease-based mutual exclusion lock (leader election, jobs). */
export interface DistributedLock {
  /** Returns an owner token when acquired, null when someone else holds it. */
  acquire(name: string, ttlMs: number): Promise<string | null>;
  /** Extends the lease if `token` still owns it. */
  renew(name: string, token: string, ttlMs: number): Promise<boolean>;
  release(name: string, token: string): Promise<void>;
}

export interface RedisHealth {
  mode: 'redis' | 'memory';
  ping(): Promise<boolean>;
}

export const KV_STORE = Symbol('KV_STORE');
export const PUB_SUB = Symbol('PUB_SUB');
export const DISTRIBUTED_LOCK = Symbol('DISTRIBUTED_LOCK');
export const REDIS_HEALTH = Symbol('REDIS_HEALTH');
