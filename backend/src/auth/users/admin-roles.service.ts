import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser, Role } from '../../common/auth/auth-user';
import { AppError, conflict, forbidden, notFound } from '../../common/errors/app-error';
import { FailureLimiter } from '../../common/guards/failure-limiter';
import { AppConfig } from '../../config/config.service';
import { type Tx, UnitOfWork } from '../../database/unit-of-work';
import { constantTimeEquals } from '../secrets';
import { UserAuthCache } from '../user-auth-cache';
import { AdminRoleChangesRepository, type RoleChangeRow, type RoleChangeStatus } from './admin-role-changes.repository';
import { type RoleStanding, UsersRepository } from './users.repository';

export type { RoleChangeRow, RoleChangeStatus };

/** What asking for a role change did: held for a second admin (202), or made at once with the setup token (200). */
export interface RoleChangeOutcome {
  status: 200 | 202;
  change: RoleChangeRow;
}

/**
 * The admin role under dual control. An admin asks to grant or revoke it (after
 * a step-up); a different admin, not the account concerned, approves it (also
 * stepped up), and only then does the role change. Where no other admin could
 * approve (a single admin, or two when one is to lose the role), the request
 * needs the server's ADMIN_SETUP_TOKEN instead and takes effect at once. Only
 * an account with two-factor authentication on, a verified address, not
 * suspended or frozen, can become an admin; the last admin cannot lose the
 * role; nobody changes their own. Every step is audited; the role reaches
 * every instance's auth cache at once.
 */
@Injectable()
export class AdminRolesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly changes: AdminRoleChangesRepository,
    private readonly audit: AuditService,
    private readonly authCache: UserAuthCache,
    private readonly config: AppConfig,
    private readonly failures: FailureLimiter,
  ) {}

  async request(actor: AuthUser, userId: string, role: Role, setupToken: string | undefined): Promise<RoleChangeOutcome> {
    const tokenValid = typeof setupToken === 'string' && constantTimeEquals(setupToken, this.config.values.adminSetupToken);
    const outcome = await this.auditRefusal(actor, { step: 'request', userId, role }, () =>
      this.uow.run(async (tx) => {
        await this.users.lockRoles(tx);
        if (userId === actor.id) throw conflict('INVALID_STATE', 'You cannot change your own role; another admin can');
        const target = await this.users.lockRoleStanding(tx, userId);
        if (!target) throw notFound('No such user');
        await this.assertMayChange(tx, target, role);
        const admins = await this.users.countAdmins(tx);
        // Who could approve: every admin but the one asking and the one concerned.
        const approvers = admins - 1 - (target.role === 'admin' ? 1 : 0);
        if (approvers > 0) {
          const id = await this.changes.insertPending(tx, userId, role, actor.id);
          if (!id) throw conflict('ALREADY_EXISTS', 'A role change of this account is already waiting for approval');
          await this.audit.record({ action: 'admin.role_change_requested', userId, actorId: actor.id, details: { changeId: id, role } }, tx);
          return { status: 202 as const, id, refused: false };
        }
        if (!tokenValid) {
          await this.audit.record(
            { action: 'admin.role_change_refused', userId, actorId: actor.id, details: { role, reason: setupToken ? 'wrong_setup_token' : 'no_setup_token' } },
            tx,
          );
          return { status: 403 as const, id: null, refused: !!setupToken };
        }
        await this.users.setRole(tx, userId, role);
        const id = await this.changes.insertApproved(tx, userId, role, actor.id);
        await this.audit.record(
          { action: 'admin.user_role_changed', userId, actorId: actor.id, details: { from: target.role, to: role, changeId: id, by: 'setup_token' } },
          tx,
        );
        return { status: 200 as const, id, refused: false };
      }),
    );
    if (outcome.status === 403) {
      // A wrong setup token counts with the address's failed credentials, like at first-admin setup.
      if (outcome.refused) await this.failures.countForClient('credentials');
      throw forbidden(
        'SETUP_TOKEN_REQUIRED',
        'No other admin can approve this change: send the server’s setup token (ADMIN_SETUP_TOKEN) in X-Setup-Token to make it now',
      );
    }
    if (outcome.status === 200) this.authCache.forget(userId);
    return { status: outcome.status, change: await this.row(outcome.id) };
  }

  /** Makes a pending change: by an admin other than the one who asked and the one concerned. */
  async approve(actor: AuthUser, id: string): Promise<RoleChangeRow> {
    const userId = await this.auditRefusal(actor, { step: 'approve', changeId: id }, () =>
      this.uow.run(async (tx) => {
        await this.users.lockRoles(tx);
        const change = await this.pending(tx, id);
        if (change.requested_by === actor.id || change.user_id === actor.id) {
          throw forbidden('FORBIDDEN', 'A second admin must approve: not the admin who asked, nor the account concerned');
        }
        // The admin who asked must still be one: a request left behind by a since-revoked admin is not approvable.
        const requester = await this.users.lockRoleStanding(tx, change.requested_by);
        if (requester?.role !== 'admin' || requester.suspended_at || requester.frozen_at) {
          throw conflict('INVALID_STATE', 'The admin who asked for this change no longer is one: reject it');
        }
        const target = await this.users.lockRoleStanding(tx, change.user_id);
        if (!target) throw notFound('No such user');
        await this.assertMayChange(tx, target, change.role);
        await this.users.setRole(tx, change.user_id, change.role);
        await this.changes.decide(tx, id, 'approved', actor.id);
        await this.audit.record(
          {
            action: 'admin.user_role_changed',
            userId: change.user_id,
            actorId: actor.id,
            details: { from: target.role, to: change.role, changeId: id, requestedBy: change.requested_by },
          },
          tx,
        );
        return change.user_id;
      }),
    );
    this.authCache.forget(userId);
    return this.row(id);
  }

  /** Drops a pending change: any admin but the one concerned (the one who asked may withdraw it). */
  async reject(actor: AuthUser, id: string): Promise<RoleChangeRow> {
    await this.auditRefusal(actor, { step: 'reject', changeId: id }, () =>
      this.uow.run(async (tx) => {
        const change = await this.pending(tx, id);
        if (change.user_id === actor.id) throw forbidden('FORBIDDEN', 'The account concerned cannot decide its own role change');
        await this.changes.decide(tx, id, 'rejected', actor.id);
        await this.audit.record(
          { action: 'admin.role_change_rejected', userId: change.user_id, actorId: actor.id, details: { changeId: id, role: change.role } },
          tx,
        );
      }),
    );
    return this.row(id);
  }

  /**
   * Runs one step of a role change; when it is refused (an AppError thrown inside its transaction, which rolls back
   * with everything it wrote), records the refusal after, in a transaction of its own: an admin trying to approve
   * their own request, to demote the last admin or to grant the role to an unfit account leaves a trace.
   */
  private async auditRefusal<T>(
    actor: AuthUser,
    attempt: { step: 'request' | 'approve' | 'reject'; userId?: string; role?: Role; changeId?: string },
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (e instanceof AppError) {
        const change = attempt.changeId ? await this.changes.find(attempt.changeId) : undefined;
        const userId = attempt.userId ?? change?.user_id;
        await this.audit.record({
          action: 'admin.role_change_refused',
          // A user id that names no account is kept in the details only.
          userId: e.code === 'NOT_FOUND' && attempt.step === 'request' ? undefined : userId,
          actorId: actor.id,
          details: {
            step: attempt.step,
            reason: e.code,
            ...(attempt.role ? { role: attempt.role } : change ? { role: change.role } : {}),
            ...(attempt.changeId ? { changeId: attempt.changeId } : {}),
            ...(e.code === 'NOT_FOUND' && attempt.userId ? { targetId: attempt.userId } : {}),
          },
        });
      }
      throw e;
    }
  }

  list(filter: { status?: RoleChangeStatus; before?: { createdAt: Date; id: string }; limit: number }): Promise<RoleChangeRow[]> {
    return this.changes.page(filter);
  }

  private async pending(tx: Tx, id: string): Promise<{ id: string; user_id: string; role: Role; requested_by: string }> {
    const change = await this.changes.lock(tx, id);
    if (!change) throw notFound('No such role change');
    if (change.status !== 'pending') throw conflict('INVALID_STATE', `This role change was already ${change.status}`);
    return change;
  }

  /** Whether `target` may get `role` now (checked when asked and again when approved). */
  private async assertMayChange(tx: Tx, target: RoleStanding, role: Role): Promise<void> {
    if (target.role === role) throw conflict('INVALID_STATE', role === 'admin' ? 'This account is already an admin' : 'This account is not an admin');
    if (role === 'admin') {
      const refusal = grantRefusal(target);
      if (refusal) throw refusal;
      return;
    }
    if ((await this.users.countAdmins(tx)) <= 1) throw conflict('LAST_ADMIN', 'The last admin cannot lose the role; make another admin first');
  }

  private async row(id: string | null): Promise<RoleChangeRow> {
    const row = id ? await this.changes.find(id) : undefined;
    if (!row) throw notFound('No such role change');
    return row;
  }
}

/** Why an account cannot become an admin, or null. */
function grantRefusal(target: RoleStanding): AppError | null {
  if (!target.email_verified_at) return forbidden('EMAIL_NOT_VERIFIED', 'Only an account with a verified email address can become an admin');
  if (target.suspended_at || target.frozen_at) return conflict('INVALID_STATE', 'A suspended or frozen account cannot become an admin');
  if (!target.two_factor_enabled_at) {
    return forbidden('TWO_FACTOR_NOT_ENABLED', 'Only an account with two-factor authentication on can become an admin: ask its owner to turn it on first');
  }
  return null;
}
