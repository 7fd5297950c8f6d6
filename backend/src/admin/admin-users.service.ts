import { Injectable } from '@nestjs/common';
import { type AdminUserRow, UserAdministrationService } from '../auth/users/user-administration.service';
import type { AuthUser } from '../common/auth/auth-user';
import { decodeCursor, encodeCursor } from '../common/dto/pagination.dto';
import { validationFailed } from '../common/errors/app-error';
import { AdminUserDto, AdminUserListDto, AdminUserListQueryDto, UpdateUserByAdminDto } from './dto/admin-back-office.dto';

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

/** Users as the back office sees and manages them (the auth module owns the accounts). */
@Injectable()
export class AdminUsersService {
  constructor(private readonly accounts: UserAdministrationService) {}

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
}
