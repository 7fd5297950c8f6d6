import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SessionsService } from '../auth/sessions.service';
import { UserAuthCache } from '../auth/user-auth-cache';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth/auth-user';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { conflict, notFound, validationFailed } from '../common/errors/app-error';
import { inTransaction } from '../database/transaction';
import { UserEventsService } from '../notifications/user-events.service';
import { AdminUserDto, AdminUserListDto, AdminUserListQueryDto, UpdateUserByAdminDto } from './dto/admin-back-office.dto';

/** The columns the back office may see: never password_hash, two_factor_secret or any token. */
const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.email_verified_at, u.two_factor_enabled_at, u.suspended_at, u.locked_until,
  date_trunc('milliseconds', u.created_at) AS created_at,
  (SELECT max(s.last_used_at) FROM sessions s WHERE s.user_id = u.id) AS last_active_at`;

interface AdminUserRow {
  id: string;
  email: string;
  name: string;
  role: 'user' | 'admin';
  email_verified_at: Date | null;
  two_factor_enabled_at: Date | null;
  suspended_at: Date | null;
  locked_until: Date | null;
  created_at: Date;
  last_active_at: Date | null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export function toAdminUserDto(r: AdminUserRow): AdminUserDto {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    emailVerified: r.email_verified_at !== null,
    twoFactorEnabled: r.two_factor_enabled_at !== null,
    suspended: r.suspended_at !== null,
    suspendedAt: iso(r.suspended_at),
    lockedUntil: r.locked_until && new Date(r.locked_until) > new Date() ? iso(r.locked_until) : null,
    lastActiveAt: iso(r.last_active_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Users as the back office sees and manages them. */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly userEvents: UserEventsService,
    private readonly authCache: UserAuthCache,
  ) {}

  async list(query: AdminUserListQueryDto): Promise<AdminUserListDto> {
    const limit = query.limit ?? 20;
    const cursor = decodeCursor(query.cursor, 'uuid');
    const where: string[] = [];
    const params: unknown[] = [];
    const search = query.search?.trim();
    if (search) {
      const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const p = params.push(like);
      where.push(`(u.email ILIKE $${p} OR u.name ILIKE $${p})`);
    }
    if (cursor) where.push(`(date_trunc('milliseconds', u.created_at), u.id) < ($${params.push(cursor.createdAt)}, $${params.push(cursor.id)}::uuid)`);
    const rows = await this.dataSource.query<AdminUserRow[]>(
      `SELECT ${USER_COLUMNS} FROM users u ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY date_trunc('milliseconds', u.created_at) DESC, u.id DESC LIMIT ${limit + 1}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toAdminUserDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  /**
   * Suspends or reinstates a user, or changes their role; audited. Suspension
   * ends every session at once: refresh tokens die and access tokens are
   * refused from the next request on, on every instance.
   */
  async update(actor: AuthUser, id: string, dto: UpdateUserByAdminDto): Promise<AdminUserDto> {
    if (dto.suspended === undefined && dto.role === undefined) {
      throw validationFailed([{ message: 'Send suspended, role or both' }]);
    }
    if (id === actor.id) throw conflict('INVALID_STATE', 'Admins cannot suspend themselves or change their own role');
    const { before, suspendedNow } = await inTransaction(this.dataSource, async (em) => {
      const [current] = await em.query<{ role: 'user' | 'admin'; suspended_at: Date | null }[]>(
        'SELECT role, suspended_at FROM users WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (!current) throw notFound('No such user');
      const suspend = dto.suspended === true && !current.suspended_at;
      const reinstate = dto.suspended === false && current.suspended_at !== null;
      const roleChange = dto.role !== undefined && dto.role !== current.role;
      if (suspend) {
        // Tokens issued before this second stay refused even after a reinstatement (ending the sessions below also revokes them).
        await em.query(
          `UPDATE users SET suspended_at = now(), tokens_valid_after = date_trunc('second', now()), updated_at = now() WHERE id = $1`,
          [id],
        );
        await this.audit.record({ action: 'admin.user_suspended', userId: id, actorId: actor.id }, em);
      }
      if (reinstate) {
        await em.query('UPDATE users SET suspended_at = NULL, updated_at = now() WHERE id = $1', [id]);
        await this.audit.record({ action: 'admin.user_reinstated', userId: id, actorId: actor.id }, em);
      }
      if (roleChange) {
        await em.query('UPDATE users SET role = $2, updated_at = now() WHERE id = $1', [id, dto.role]);
        await this.audit.record({ action: 'admin.user_role_changed', userId: id, actorId: actor.id, details: { from: current.role, to: dto.role } }, em);
      }
      return { before: current, suspendedNow: suspend };
    });
    this.authCache.forget(id);
    if (suspendedNow) {
      const ended = await this.sessions.endAllForUser(id, 'suspended');
      // Open /ws/user sockets re-check their tokens now rather than at the next heartbeat.
      await this.userEvents.requestRevalidation(id).catch(() => undefined);
      await this.audit.record({ action: 'admin.user_sessions_ended', userId: id, actorId: actor.id, details: { sessions: ended, previousRole: before.role } });
    }
    const [row] = await this.dataSource.query<AdminUserRow[]>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return toAdminUserDto(row);
  }
}
