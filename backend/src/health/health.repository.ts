import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** node-postgres' pool, as TypeORM's PostgreSQL driver holds it (`driver.master`); the embedded driver has none. */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/** The readiness probe's one question to the database (does it answer?), and the connection pool's figures for /metrics. */
@Injectable()
export class HealthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /** The pool's size, its open and idle connections and the queries waiting for one; undefined without a pool (PGlite). */
  poolStats(): { max: number; total: number; idle: number; waiting: number } | undefined {
    const pool = (this.dataSource.driver as { master?: Partial<PgPool> }).master;
    if (!pool || typeof pool.totalCount !== 'number') return undefined;
    return { max: pool.options?.max ?? 0, total: pool.totalCount, idle: pool.idleCount ?? 0, waiting: pool.waitingCount ?? 0 };
  }
}
