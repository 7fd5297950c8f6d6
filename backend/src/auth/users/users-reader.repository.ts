import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

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

  async exists(id: string, em?: EntityManager): Promise<boolean> {
    const rows = await (em ?? this.dataSource).query<unknown[]>('SELECT 1 FROM users WHERE id = $1', [id]);
    return rows.length > 0;
  }

  async lockForUpdate(em: EntityManager, id: string): Promise<boolean> {
    const rows = await em.query<unknown[]>('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id]);
    return rows.length > 0;
  }
}
