import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Role } from '../../common/auth/auth-user';
import { queryRows } from '../../database/rows';
import type { Tx } from '../../database/unit-of-work';
import type { UserEntity } from '../entities/user.entity';

/** What authenticating a request needs to know of its user and of the token's session. */
export interface UserAuthState {
  email: string;
  role: Role;
  suspended_at: Date | null;
  tokens_valid_after: Date;
  /** Whether two-factor authentication is on (admins need it for the back office). */
  two_factor_on: boolean;
  /** The token's session: whether it exists (and is this user's), and when it ended. */
  session_found: boolean;
  session_revoked_at: Date | null;
}

/** A user as the back office sees it: never password_hash, two_factor_secret or any token. */
export interface AdminUserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  email_verified_at: Date | null;
  two_factor_enabled_at: Date | null;
  suspended_at: Date | null;
  locked_until: Date | null;
  created_at: Date;
  last_active_at: Date | null;
}

/** An account as a role change sees it. */
export interface RoleStanding {
  id: string;
  email: string;
  role: Role;
  email_verified_at: Date | null;
  two_factor_enabled_at: Date | null;
  suspended_at: Date | null;
  frozen_at: Date | null;
}

/** One back-office page of users: `search` matches email or name; `before` is a keyset position (created_at to the millisecond, id). */
export interface AdminUserFilter {
  search?: string;
  before?: { createdAt: Date; id: string };
  limit: number;
}

export interface LoginFailure {
  failed_logins: number;
  locked_until: Date | null;
}

const ADMIN_COLUMNS = `u.id, u.email, u.name, u.role, u.email_verified_at, u.two_factor_enabled_at, u.suspended_at, u.locked_until,
  date_trunc('milliseconds', u.created_at) AS created_at,
  (SELECT max(s.last_used_at) FROM sessions s WHERE s.user_id = u.id) AS last_active_at`;

/** A `users` row in the entity's shape (every column, camel-cased by the query). */
const USER_COLUMNS = `id, email, name, password_hash AS "passwordHash", role, email_verified_at AS "emailVerifiedAt", suspended_at AS "suspendedAt",
  two_factor_secret AS "twoFactorSecret", two_factor_enabled_at AS "twoFactorEnabledAt", two_factor_last_step AS "twoFactorLastStep",
  failed_logins AS "failedLogins", locked_until AS "lockedUntil", tokens_valid_after AS "tokensValidAfter", frozen_at AS "frozenAt",
  security_hold_until AS "securityHoldUntil", security_hold_reason AS "securityHoldReason", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Any fixed number: the advisory lock that serialises concurrent first-admin calls. */
const FIRST_ADMIN_LOCK = 748_201_207;

/** The `users` table as the auth module (its owner) reads and writes it. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(id: string, tx?: Tx): Promise<UserEntity | null> {
    const [user] = await (tx ?? this.dataSource).query<UserEntity[]>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return user ?? null;
  }

  /** The account with exactly this email, as stored. */
  async findByEmail(email: string, tx?: Tx): Promise<UserEntity | null> {
    const [user] = await (tx ?? this.dataSource).query<UserEntity[]>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [email]);
    return user ?? null;
  }

  /** A new account (a taken email fails with PostgreSQL's unique violation, 23505). */
  async insert(user: { email: string; name: string; passwordHash: string }): Promise<UserEntity> {
    const [row] = await this.dataSource.query<UserEntity[]>(`INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`, [
      user.email,
      user.name,
      user.passwordHash,
    ]);
    return row;
  }

  /**
   * A confirmed email change: the new address (proven by its mailbox, so verified). Fails with PostgreSQL's unique
   * violation (23505) when another account took the address meanwhile.
   */
  async updateEmail(tx: Tx, id: string, email: string): Promise<void> {
    await tx.query('UPDATE users SET email = $2, email_verified_at = COALESCE(email_verified_at, now()), updated_at = now() WHERE id = $1', [id, email]);
  }

  async updateName(id: string, name: string): Promise<void> {
    await this.dataSource.query('UPDATE users SET name = $2, updated_at = now() WHERE id = $1', [id, name]);
  }

  async updatePasswordHash(id: string, hash: string): Promise<void> {
    await this.dataSource.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [id, hash]);
  }

  /**
   * A password reset: the new hash, the failed sign-ins forgotten, and every access token issued
   * until now refused (tokens_valid_after is truncated to the second like a JWT's iat).
   */
  async resetPassword(tx: Tx, id: string, hash: string): Promise<void> {
    await tx.query(
      `UPDATE users SET password_hash = $2, tokens_valid_after = date_trunc('second', now()), failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1`,
      [id, hash],
    );
  }

  async clearLoginFailures(id: string): Promise<void> {
    await this.dataSource.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]);
  }

  /**
   * Counts a failed sign-in; the `threshold`th in a row locks the account for `lockSeconds`
   * (a lock that has run out starts the count again).
   */
  async recordLoginFailure(id: string, threshold: number, lockSeconds: number): Promise<LoginFailure | undefined> {
    const [row] = await queryRows<LoginFailure>(
      this.dataSource,
      `UPDATE users SET
         failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
         locked_until = CASE
           WHEN locked_until IS NOT NULL AND locked_until <= now() THEN NULL
           WHEN failed_logins + 1 >= $2 THEN now() + make_interval(secs => $3)
           ELSE locked_until END
       WHERE id = $1
       RETURNING failed_logins, locked_until`,
      [id, threshold, lockSeconds],
    );
    return row;
  }

  async markEmailVerified(tx: Tx, id: string): Promise<void> {
    await tx.query('UPDATE users SET email_verified_at = COALESCE(email_verified_at, now()) WHERE id = $1', [id]);
  }

  /** Stores a new TOTP secret for an enrolment in progress (never while 2FA is on). */
  async startTwoFactorEnrolment(id: string, secret: string): Promise<void> {
    await this.dataSource.query('UPDATE users SET two_factor_secret = $2, two_factor_last_step = NULL WHERE id = $1 AND two_factor_enabled_at IS NULL', [
      id,
      secret,
    ]);
  }

  /** Turns 2FA on if the enrolment is still the one checked (same secret, not on yet); false otherwise. */
  async enableTwoFactor(tx: Tx, id: string, secret: string, step: number): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      tx,
      'UPDATE users SET two_factor_enabled_at = now(), two_factor_last_step = $2 WHERE id = $1 AND two_factor_enabled_at IS NULL AND two_factor_secret = $3 RETURNING id',
      [id, step, secret],
    );
    return rows.length > 0;
  }

  async disableTwoFactor(tx: Tx, id: string): Promise<void> {
    await tx.query('UPDATE users SET two_factor_secret = NULL, two_factor_enabled_at = NULL, two_factor_last_step = NULL WHERE id = $1', [id]);
  }

  /** Accepts a TOTP time step once: of two concurrent requests with the same code, one wins (true). */
  async acceptTotpStep(id: string, step: number): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      'UPDATE users SET two_factor_last_step = $2 WHERE id = $1 AND (two_factor_last_step IS NULL OR two_factor_last_step < $2) RETURNING id',
      [id, step],
    );
    return rows.length === 1;
  }

  /**
   * A "This wasn't me" freeze: the account is frozen, and every access token issued until now is refused
   * (tokens_valid_after, truncated to the second like a JWT's iat; same-second tokens die with their sessions).
   */
  async freeze(tx: Tx, id: string): Promise<void> {
    await tx.query(`UPDATE users SET frozen_at = now(), tokens_valid_after = date_trunc('second', now()), updated_at = now() WHERE id = $1`, [id]);
  }

  /** Lifts a freeze (a password reset by email); true when the account was frozen. */
  async unfreeze(tx: Tx, id: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      tx,
      'UPDATE users SET frozen_at = NULL, updated_at = now() WHERE id = $1 AND frozen_at IS NOT NULL RETURNING id',
      [id],
    );
    return rows.length > 0;
  }

  /**
   * Holds withdrawals for `seconds` from now, for `reason`; a hold already
   * running longer keeps its end (the reason is the latest one). Returns the end.
   */
  async placeSecurityHold(tx: Tx, id: string, seconds: number, reason: string): Promise<Date> {
    const [row] = await queryRows<{ until: Date }>(
      tx,
      `UPDATE users SET security_hold_until = GREATEST(COALESCE(security_hold_until, now()), now() + make_interval(secs => $2)), security_hold_reason = $3
        WHERE id = $1 RETURNING security_hold_until AS until`,
      [id, seconds, reason],
    );
    return new Date(row.until);
  }

  /** Turns 2FA off if it was turned on at or after `since` (a freeze removing an attacker's authenticator); true if it did. */
  async disableTwoFactorEnabledSince(tx: Tx, id: string, since: Date): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `UPDATE users SET two_factor_secret = NULL, two_factor_enabled_at = NULL, two_factor_last_step = NULL
        WHERE id = $1 AND two_factor_enabled_at >= $2 RETURNING id`,
      [id, since],
    );
    return rows.length > 0;
  }

  /** The user's authentication state with that of one of their sessions (undefined: no such user). */
  async authState(userId: string, sessionId: string): Promise<UserAuthState | undefined> {
    const [state] = await this.dataSource.query<UserAuthState[]>(
      `SELECT u.email, u.role, u.suspended_at, u.tokens_valid_after, u.two_factor_enabled_at IS NOT NULL AS two_factor_on,
              s.revoked_at AS session_revoked_at, s.id IS NOT NULL AS session_found
         FROM users u LEFT JOIN sessions s ON s.id = $2 AND s.user_id = u.id
        WHERE u.id = $1`,
      [userId, sessionId],
    );
    return state;
  }

  async countAdmins(tx?: Tx): Promise<number> {
    const [{ count }] = await (tx ?? this.dataSource).query<{ count: number }[]>(`SELECT count(*)::int AS count FROM users WHERE role = 'admin'`);
    return count;
  }

  /** Serialises first-admin setups across instances until `tx` ends. */
  async lockFirstAdminSetup(tx: Tx): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
  }

  /** The role and suspension of a user, locked for the rest of `tx` (undefined: no such user). */
  async lockStanding(tx: Tx, id: string): Promise<{ role: Role; suspended_at: Date | null } | undefined> {
    const [row] = await tx.query<{ role: Role; suspended_at: Date | null }[]>('SELECT role, suspended_at FROM users WHERE id = $1 FOR UPDATE', [id]);
    return row;
  }

  /** What a role change checks of an account, locked for the rest of `tx` (undefined: no such user). */
  async lockRoleStanding(tx: Tx, id: string): Promise<RoleStanding | undefined> {
    const [row] = await tx.query<RoleStanding[]>(
      `SELECT id, email, role, email_verified_at, two_factor_enabled_at, suspended_at, frozen_at FROM users WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row;
  }

  /** Serialises role changes (the admin count and the change) across instances until `tx` ends. */
  async lockRoles(tx: Tx): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', ['admin-roles']);
  }

  /** Suspends: tokens issued before this second stay refused even after a reinstatement. */
  async suspend(tx: Tx, id: string): Promise<void> {
    await tx.query(`UPDATE users SET suspended_at = now(), tokens_valid_after = date_trunc('second', now()), updated_at = now() WHERE id = $1`, [id]);
  }

  async reinstate(tx: Tx, id: string): Promise<void> {
    await tx.query('UPDATE users SET suspended_at = NULL, updated_at = now() WHERE id = $1', [id]);
  }

  async setRole(tx: Tx, id: string, role: Role): Promise<void> {
    await tx.query('UPDATE users SET role = $2, updated_at = now() WHERE id = $1', [id, role]);
  }

  /** Newest accounts first. */
  adminPage(filter: AdminUserFilter): Promise<AdminUserRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.search) {
      const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const p = params.push(like);
      where.push(`(u.email ILIKE $${p} OR u.name ILIKE $${p})`);
    }
    if (filter.before) {
      where.push(`(date_trunc('milliseconds', u.created_at), u.id) < ($${params.push(filter.before.createdAt)}, $${params.push(filter.before.id)}::uuid)`);
    }
    return this.dataSource.query<AdminUserRow[]>(
      `SELECT ${ADMIN_COLUMNS} FROM users u ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY date_trunc('milliseconds', u.created_at) DESC, u.id DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
  }

  async adminRow(id: string): Promise<AdminUserRow | undefined> {
    const [row] = await this.dataSource.query<AdminUserRow[]>(`SELECT ${ADMIN_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return row;
  }
}
