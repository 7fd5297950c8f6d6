import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** How many accounts there are, verified, suspended, and used in the last 7 days. */
export interface UserCountsRow {
  total: number;
  verified: number;
  suspended: number;
  active7d: number;
}

/**
 * The queries other domains may make of the `users` table (owned by auth):
 * reached only through {@link UsersReader}.
 */
@Injectable()
export class UsersReaderRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async emails(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query<{ id: string; email: string }[]>('SELECT id, email FROM users WHERE id = ANY($1::uuid[])', [[...new Set(ids)]]);
    return new Map(rows.map((r) => [r.id, r.email]));
  }

  async holder(id: string): Promise<{ name: string; email: string } | undefined> {
    const [row] = await this.dataSource.query<{ name: string; email: string }[]>('SELECT name, email FROM users WHERE id = $1', [id]);
    return row;
  }

  async exists(id: string, em?: EntityManager): Promise<boolean> {
    const rows = await (em ?? this.dataSource).query<unknown[]>('SELECT 1 FROM users WHERE id = $1', [id]);
    return rows.length > 0;
  }

  async isSuspended(id: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>('SELECT 1 FROM users WHERE id = $1 AND suspended_at IS NOT NULL', [id]);
    return rows.length > 0;
  }

  /** `account_closures` is account's: its closure writes the row in the transaction that erases the account. */
  async isClosed(id: string, em?: EntityManager): Promise<boolean> {
    const rows = await (em ?? this.dataSource).query<unknown[]>('SELECT 1 FROM account_closures WHERE user_id = $1', [id]);
    return rows.length > 0;
  }

  async lockForUpdate(em: EntityManager, id: string): Promise<boolean> {
    const rows = await em.query<unknown[]>('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id]);
    return rows.length > 0;
  }

  async counts(): Promise<UserCountsRow> {
    const [row] = await this.dataSource.query<UserCountsRow[]>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE email_verified_at IS NOT NULL)::int AS verified,
              count(*) FILTER (WHERE suspended_at IS NOT NULL)::int AS suspended,
              (SELECT count(DISTINCT user_id)::int FROM sessions WHERE last_used_at >= now() - interval '7 days') AS active7d
         FROM users`,
    );
    return row;
  }
}
