import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../common/auth/auth-user';
import { conflict, forbidden, notFound } from '../../common/errors/app-error';
import { UnitOfWork } from '../../database/unit-of-work';
import { UserEventsService } from '../../notifications/user-events.service';
import type { UserEntity } from '../entities/user.entity';
import { SessionsService } from '../sessions.service';
import { UserAuthCache } from '../user-auth-cache';
import { type AdminUserFilter, type AdminUserRow, UsersRepository } from './users.repository';

export type { AdminUserFilter, AdminUserRow };

/** What an admin may change of an account at once (roles change under dual control: AdminRolesService). */
export interface UserStandingChange {
  suspended?: boolean;
}

/**
 * Accounts as operators manage them (the back office's controllers in admin/
 * call this): the first admin, listing users, suspension and roles. Every
 * change is audited in its transaction and reaches the auth cache at once.
 */
@Injectable()
export class UserAdministrationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly userEvents: UserEventsService,
    private readonly authCache: UserAuthCache,
  ) {}

  countAdmins(): Promise<number> {
    return this.users.countAdmins();
  }

  /** Makes the verified account with this email the first admin; 409 once an admin exists (serialised across instances). */
  async makeFirstAdmin(email: string): Promise<UserEntity> {
    const user = await this.uow.run(async (tx) => {
      await this.users.lockFirstAdminSetup(tx);
      if ((await this.users.countAdmins(tx)) > 0) throw conflict('ALREADY_EXISTS', 'An admin already exists; admins manage roles from now on');
      const target = await this.users.findByEmail(email, tx);
      if (!target) throw notFound('No account with this email');
      if (!target.emailVerifiedAt) throw forbidden('EMAIL_NOT_VERIFIED', 'The account must verify its email first');
      await this.users.setRole(tx, target.id, 'admin');
      await this.audit.record({ action: 'admin.setup_first_admin', userId: target.id, actorId: target.id }, tx);
      return { ...target, role: 'admin' as const };
    });
    this.authCache.forget(user.id);
    return user;
  }

  list(filter: AdminUserFilter): Promise<AdminUserRow[]> {
    return this.users.adminPage(filter);
  }

  /**
   * Suspends or reinstates a user, or changes their role; audited. Suspension
   * ends every session at once: refresh tokens die and access tokens are
   * refused from the next request on, on every instance. 404 for no such user.
   */
  async changeStanding(actor: AuthUser, id: string, change: UserStandingChange): Promise<AdminUserRow> {
    if (id === actor.id) throw conflict('INVALID_STATE', 'Admins cannot suspend themselves');
    const { before, suspendedNow } = await this.uow.run(async (tx) => {
      const current = await this.users.lockStanding(tx, id);
      if (!current) throw notFound('No such user');
      const suspend = change.suspended === true && !current.suspended_at;
      // Suspending an admin would take their admin powers with no second admin's say: the role goes first, under dual control.
      if (suspend && current.role === 'admin') {
        throw forbidden('FORBIDDEN', 'An admin cannot be suspended; remove the admin role first (a second admin approves that)');
      }
      const reinstate = change.suspended === false && current.suspended_at !== null;
      if (suspend) {
        // Tokens issued before this second stay refused even after a reinstatement (ending the sessions below also revokes them).
        await this.users.suspend(tx, id);
        await this.audit.record({ action: 'admin.user_suspended', userId: id, actorId: actor.id }, tx);
      }
      if (reinstate) {
        await this.users.reinstate(tx, id);
        await this.audit.record({ action: 'admin.user_reinstated', userId: id, actorId: actor.id }, tx);
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
    const row = await this.users.adminRow(id);
    if (!row) throw notFound('No such user');
    return row;
  }
}
