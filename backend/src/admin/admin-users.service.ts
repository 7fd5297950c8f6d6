import { Injectable } from '@nestjs/common';
import { AdminRolesService, type RoleChangeRow } from '../auth/users/admin-roles.service';
import { type AdminUserRow, UserAdministrationService } from '../auth/users/user-administration.service';
import type { AuthUser, Role } from '../common/auth/auth-user';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { validationFailed } from '../common/errors/app-error';
import { AdminUserDto, AdminUserListDto, AdminUserListQueryDto, UpdateUserByAdminDto } from './dto/admin-back-office.dto';
import { AdminRoleChangeDto, AdminRoleChangePageDto, AdminRoleChangeQueryDto, AdminRoleChangeResponseDto } from './dto/admin-roles.dto';

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

/** The back office's view of an account: never a hash, a secret or a token. */
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

/** A role change as the back office shows it: the accounts by email (and name), the ids alongside. */
export function toAdminRoleChangeDto(r: RoleChangeRow): AdminRoleChangeDto {
  return {
    id: r.id,
    user: { id: r.user_id, email: r.user_email, name: r.user_name },
    role: r.role,
    status: r.status,
    requestedBy: { id: r.requested_by, email: r.requested_by_email },
    decidedBy: r.decided_by && r.decided_by_email ? { id: r.decided_by, email: r.decided_by_email } : null,
    createdAt: new Date(r.created_at).toISOString(),
    decidedAt: iso(r.decided_at),
  };
}

/** Users as the back office sees and manages them, roles included (the auth module owns the accounts and the rules). */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly accounts: UserAdministrationService,
    private readonly roles: AdminRolesService,
  ) {}

  async list(query: AdminUserListQueryDto): Promise<AdminUserListDto> {
    const limit = query.limit ?? 20;
    const cursor = decodeCursor(query.cursor, 'uuid');
    const rows = await this.accounts.list({ search: query.search?.trim() || undefined, before: cursor, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toAdminUserDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  /** Suspends or reinstates a user (see UserAdministrationService.changeStanding); roles change through AdminRolesService. */
  async update(actor: AuthUser, id: string, dto: UpdateUserByAdminDto): Promise<AdminUserDto> {
    if (dto.role !== undefined) {
      // Roles are under dual control: a step-up and a second admin's approval.
      throw validationFailed([{ field: 'role', message: 'Roles change through POST /api/admin/users/:id/role (a step-up, then a second admin approves)' }]);
    }
    if (dto.suspended === undefined) throw validationFailed([{ field: 'suspended', message: 'Send suspended: true or false' }]);
    return toAdminUserDto(await this.accounts.changeStanding(actor, id, { suspended: dto.suspended }));
  }

  /** 202 with the pending change, or 200 once made with the setup token (see AdminRolesService.request). */
  async requestRole(actor: AuthUser, id: string, role: Role, setupToken: string | undefined): Promise<{ status: 200 | 202; body: AdminRoleChangeResponseDto }> {
    const { status, change } = await this.roles.request(actor, id, role, setupToken);
    return { status, body: { change: toAdminRoleChangeDto(change) } };
  }

  async listRoleChanges(query: AdminRoleChangeQueryDto): Promise<AdminRoleChangePageDto> {
    const limit = query.limit ?? 20;
    const rows = await this.roles.list({ status: query.status, before: decodeCursor(query.cursor, 'uuid'), limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toAdminRoleChangeDto), nextCursor: rows.length > limit && last ? encodeCursor(new Date(last.created_at), last.id) : null };
  }

  async approveRoleChange(actor: AuthUser, id: string): Promise<AdminRoleChangeResponseDto> {
    return { change: toAdminRoleChangeDto(await this.roles.approve(actor, id)) };
  }

  async rejectRoleChange(actor: AuthUser, id: string): Promise<AdminRoleChangeResponseDto> {
    return { change: toAdminRoleChangeDto(await this.roles.reject(actor, id)) };
  }
}
