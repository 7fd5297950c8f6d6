import { readdirSync, readFileSync } from 'node:fs';
import Redis from 'ioredis';
import type { Client } from 'pg';

/**
 * What a load costs the machine, for the capacity model (docs/CAPACITY.md): CPU seconds of the app instances, of every
 * PostgreSQL process and of Redis, the load generator's own, and the work PostgreSQL and Redis did (commits, rows
 * written, commands). A snapshot at the start and at the end of the measured window; `usage` turns two into rates.
 * PostgreSQL's CPU is the sum over every `postgres` process on the machine (this run's backends and the server's own
 * workers; a backend that exited meanwhile is missed, which the app's pool makes rare), so it is meaningful only on a
 * machine nothing else uses PostgreSQL on.
 */
export interface ResourceSnapshot {
  at: number;
  appCpuS: number[];
  benchCpuS: number;
  postgresCpuS: number;
  redisCpuS: number;
  redisCommands: number;
  pgCommits: number;
  pgRowsWritten: number;
}

export interface ResourceUsage {
  seconds: number;
  /** CPU of each app instance, in cores (1.0 = one core busy the whole window). */
  appCores: number[];
  benchCores: number;
  postgresCores: number;
  redisCores: number;
  redisCommandsPerS: number;
  pgCommitsPerS: number;
  pgRowsWrittenPerS: number;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux x86_64). */
const CLK_TCK = 100;

function cpuSeconds(pid: number): number {
  try {
    // Fields after the command (which may hold spaces, inside parentheses): utime is the 14th field, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuSeconds(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return total;
}

function infoField(info: string, name: string): number {
  const m = new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info);
  return m ? Number(m[1]) : 0;
}

export class ResourceMeter {
  private readonly redis: Redis;

  constructor(
    private readonly pg: Client,
    redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  ) {
    this.redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  async snapshot(appPids: number[]): Promise<ResourceSnapshot> {
    if (this.redis.status === 'wait') await this.redis.connect();
    const [cpu, stats, db] = await Promise.all([
      this.redis.info('cpu'),
      this.redis.info('stats'),
      this.pg.query<{ commits: string; written: string }>(
        `SELECT xact_commit::text AS commits, (tup_inserted + tup_updated + tup_deleted)::text AS written FROM pg_stat_database WHERE datname = current_database()`,
      ),
    ]);
    const usage = process.cpuUsage();
    return {
      at: performance.now(),
      appCpuS: appPids.map(cpuSeconds),
      benchCpuS: (usage.user + usage.system) / 1e6,
      postgresCpuS: postgresCpuSeconds(),
      redisCpuS: infoField(cpu, 'used_cpu_user') + infoField(cpu, 'used_cpu_sys'),
      redisCommands: infoField(stats, 'total_commands_processed'),
      pgCommits: Number(db.rows[0]?.commits ?? 0),
      pgRowsWritten: Number(db.rows[0]?.written ?? 0),
    };
  }

  static usage(a: ResourceSnapshot, b: ResourceSnapshot): ResourceUsage {
    const s = (b.at - a.at) / 1000;
    const per = (x: number, y: number): number => Math.round(((y - x) / s) * 1000) / 1000;
    return {
      seconds: Math.round(s),
      appCores: b.appCpuS.map((x, i) => per(a.appCpuS[i], x)),
      benchCores: per(a.benchCpuS, b.benchCpuS),
      postgresCores: per(a.postgresCpuS, b.postgresCpuS),
      redisCores: per(a.redisCpuS, b.redisCpuS),
      redisCommandsPerS: Math.round((b.redisCommands - a.redisCommands) / s),
      pgCommitsPerS: Math.round((b.pgCommits - a.pgCommits) / s),
      pgRowsWrittenPerS: Math.round((b.pgRowsWritten - a.pgRowsWritten) / s),
    };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
