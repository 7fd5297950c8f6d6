import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/config.service';
import { MemoryKeyValueStore, MemoryLock, MemoryPubSub } from './memory-twins';
import { RedisKeyValueStore, RedisLock, RedisPubSub } from './redis-stores';
import { DISTRIBUTED_LOCK, KV_STORE, PUB_SUB, REDIS_HEALTH, RedisHealth } from './redis.interfaces';

const REDIS_CONNECTIONS = Symbol('REDIS_CONNECTIONS');

interface Connections {
  command?: Redis;
  subscriber?: Redis;
}

async function connect(url: string, name: string, logger: Logger): Promise<Redis> {
  const client = new Redis(url, {
    connectionName: `cryptovault-${name}`,
    lazyConnect: true,
    // Fail fast while disconnected: callers degrade instead of hanging (the
    // subscriber queues its SUBSCRIBEs and re-subscribes by itself on reconnect).
    enableOfflineQueue: name === 'sub',
    maxRetriesPerRequest: 1,
    // A server that accepts connections but does not answer must not hold requests either.
    ...(name === 'sub' ? {} : { commandTimeout: 2_000 }),
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(200 * times, 2_000),
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) logger.warn(`redis ${name}: ${err.message}`);
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.log(`redis ${name}: reconnected`);
    down = false;
  });
  await client.connect();
  return client;
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CONNECTIONS,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<Connections> => {
        const url = config.values.redisUrl;
        if (!url) return {};
        const logger = new Logger('Redis');
        const [command, subscriber] = await Promise.all([connect(url, 'cmd', logger), connect(url, 'sub', logger)]);
        logger.log(`connected to ${new URL(url).host}`);
        return { command, subscriber };
      },
    },
    {
      provide: KV_STORE,
      inject: [REDIS_CONNECTIONS, AppConfig],
      useFactory: (c: Connections, config: AppConfig) => (c.command ? new RedisKeyValueStore(c.command, config.values.redisPrefix) : new MemoryKeyValueStore()),
    },
    {
      provide: PUB_SUB,
      inject: [REDIS_CONNECTIONS, AppConfig],
      useFactory: (c: Connections, config: AppConfig) =>
        c.command && c.subscriber ? new RedisPubSub(c.command, c.subscriber, config.values.redisPrefix) : new MemoryPubSub(),
    },
    {
      provide: DISTRIBUTED_LOCK,
      inject: [REDIS_CONNECTIONS, AppConfig],
      useFactory: (c: Connections, config: AppConfig) => (c.command ? new RedisLock(c.command, config.values.redisPrefix) : new MemoryLock()),
    },
    {
      provide: REDIS_HEALTH,
      inject: [REDIS_CONNECTIONS],
      useFactory: (c: Connections): RedisHealth => ({
        mode: c.command ? 'redis' : 'memory',
        ping: async () => {
          if (!c.command) return true;
          try {
            return (await c.command.ping()) === 'PONG';
          } catch {
            return false;
          }
        },
      }),
    },
  ],
  exports: [KV_STORE, PUB_SUB, DISTRIBUTED_LOCK, REDIS_HEALTH],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CONNECTIONS) private readonly connections: Connections) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.connections.command?.quit(), this.connections.subscriber?.quit()].map((p) => p?.catch(() => undefined)));
  }
}
