import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Role } from '../../common/auth/auth-user';
import type { Tx } from '../../database/unit-of-work';

export type RoleChangeStatus = 'pending' | 'approved' | 'rejected';

/** An `admin_role_changes` row with the accounts it names (email and name, for people to read). */
export interface RoleChangeRow {
  id: string;
  user_id: string;
  user_email: string;
  user_name: string;
  role: Role;
  status: RoleChangeStatus;
  requested_by: string;
  requested_by_email: string;
  decided_by: string | null;
  decided_by_email: string | null;
  created_at: Date;
  decided_at: Date | null;
}

const SELECT = `
  SELECT c.id, c.user_id, u.email AS user_email, u.name AS user_name, c.role, c.status,
         c.requested_by, r.email AS requested_by_email, c.decided_by, d.email AS decided_by_email, c.created_at, c.decided_at
    FROM admin_role_changes c
    JOIN users u ON u.id = c.user_id
    JOIN users r ON r.id = c.requested_by
    LEFT JOIN users d ON d.id = c.decided_by`;

/** The `admin_role_changes` table: grants and revocations of the admin role under dual control. */
@Injectable()
export class AdminRoleChangesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A pending change; null when the account already has one pending. */
  async insertPending(tx: Tx, userId: string, role: Role, requestedBy: string): Promise<string | null> {
    const rows = await tx.query<{ id: string }[]>(
      `INSERT INTO admin_role_changes (user_id, role, requested_by) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) WHERE status = 'pending' DO NOTHING RETURNING id`,
      [userId, role, requestedBy],
    );
    return rows[0]?.id ?? null;
  }

  /** A change made at once with the setup token (no second admin could approve it): approved, by nobody. */
  async insertApproved(tx: Tx, userId: string, role: Role, requestedBy: string): Promise<string> {
    const [row] = await tx.query<{ id: string }[]>(
      `INSERT INTO admin_role_changes (user_id, role, requested_by, status, decided_at) VALUES ($1, $2, $3, 'approved', now()) RETURNING id`,
      [userId, role, requestedBy],
    );
    return row.id;
  }

  /** The change, locked for the rest of `tx`. */
  async lock(tx: Tx, id: string): Promise<{ id: string; user_id: string; role: Role; status: RoleChangeStatus; requested_by: string } | undefined> {
    const [row] = await tx.query<{ id: string; user_id: string; role: Role; status: RoleChangeStatus; requested_by: string }[]>(
      'SELECT id, user_id, role, status, requested_by FROM admin_role_changes WHERE id = $1 FOR UPDATE',
      [id],
    );
    return row;
  }

  async decide(tx: Tx, id: string, status: 'approved' | 'rejected', decidedBy: string): Promise<void> {
    await tx.query(`UPDATE admin_role_changes SET status = $2, decided_by = $3, decided_at = now() WHERE id = $1 AND status = 'pending'`, [
      id,
      status,
      decidedBy,
    ]);
  }

  async find(id: string, tx?: Tx): Promise<RoleChangeRow | undefined> {
    const [row] = await (tx ?? this.dataSource).query<RoleChangeRow[]>(`${SELECT} WHERE c.id = $1`, [id]);
    return row;
  }

  /** Newest first; `before` is a keyset position (created_at to the millisecond, id). */
  page(filter: { status?: RoleChangeStatus; before?: { createdAt: Date; id: string }; limit: number }): Promise<RoleChangeRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) where.push(`c.status = $${params.push(filter.status)}`);
    if (filter.before) {
      const at = params.push(filter.before.createdAt);
      const id = params.push(filter.before.id);
      where.push(`(c.created_at, c.id) < ($${at}, $${id})`);
    }
    const limit = params.push(filter.limit);
    return this.dataSource.query<RoleChangeRow[]>(
      `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.created_at DESC, c.id DESC LIMIT $${limit}`,
      params,
    );
  }
}
