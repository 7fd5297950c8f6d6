import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth/auth-user';
import { AppError } from '../common/errors/app-error';
import { formatDateTime, formatDuration } from '../common/money/prose-format';
import { requestContext } from '../common/request-context';
import { AppConfig } from '../config/config.service';
import { type Tx, UnitOfWork } from '../database/unit-of-work';
import { NotificationsService } from '../notifications/notifications.service';
import { ConfirmationsRepository } from './confirmations.repository';
import { describeDevice } from './device';
import { noticeDevice } from './security/security-notices.service';

/**
 * What a signed-in caller confirms with a second factor or the current
 * password. Every such check goes through {@link ConfirmationsService}: a
 * withdrawal's own code, and the step-up (POST /api/auth/step-up) that the
 * security changes (2FA, backup codes, password, email) need. A new check
 * adds its name here and calls `confirm` the same way.
 */
export type ConfirmationAction = 'wallet.withdraw' | 'auth.step_up' | 'auth.api_key_withdraw';

/** Runs the check itself (code, password): `null` when it passed, else the error to answer (401 …). */
export type ConfirmationCheck = () => Promise<AppError | null>;

export type Confirmer = Pick<AuthUser, 'id' | 'sessionId'>;

interface Lock {
  scope: 'session' | 'account';
  until: Date;
  failures: number;
}

/**
 * A guess still being checked counts against the limit while new guesses are let in (a check takes well under a
 * second); one still unresolved after this long counts as a failure: its check never finished or recording its
 * failure did not (an attacker must not gain guesses by making that write fail, e.g. under load).
 */
const PENDING_SECONDS = 60;

/** What a lock keeps the caller from doing, and what it never blocks (so a thief cannot lock the owner out of recovering). */
const LOCKED_ACTIONS = 'withdrawals and security changes (step-up confirmations: two-factor, password and email changes)';
const STILL_OPEN = 'Resetting the password by email and signing out still work.';

function lockedError(lock: Lock, justNow: boolean): AppError {
  const seconds = Math.max(1, Math.ceil((lock.until.getTime() - Date.now()) / 1000));
  const who = lock.scope === 'session' ? 'this session' : 'this account';
  const lead = justNow ? 'The confirmation failed, and there have now been' : 'There have been';
  return new AppError(
    429,
    'ACCOUNT_LOCKED',
    `${lead} too many failed confirmations from ${who}: ${LOCKED_ACTIONS} are locked for ${Math.ceil(seconds / 60)} min. ${STILL_OPEN}`,
    undefined,
    { 'Retry-After': String(seconds) },
  );
}

/**
 * The one counter of failed confirmations: second-factor codes and current
 * passwords that signed-in actions ask for (withdrawals, and the step-up
 * that 2FA, backup-code, password and email changes need). Kept in PostgreSQL (it must hold
 * across instances and survive a Redis restart), per session and per
 * account, over CONFIRMATION_WINDOW_MS:
 *
 * - CONFIRMATION_SESSION_MAX_FAILURES (5) failures from one session lock that
 *   session out of these actions for CONFIRMATION_LOCK_MS (429
 *   ACCOUNT_LOCKED with Retry-After); CONFIRMATION_ACCOUNT_MAX_FAILURES (15:
 *   10 more) across sessions lock them for the whole account. Each lock is
 *   audited and emailed to the owner once. A lock that has run out starts
 *   its count again.
 * - A success never erases failures (knowing the password must not reset the
 *   count of wrong codes).
 * - Every guess is registered before it is checked and counts while it is
 *   being checked, so parallel requests cannot take more guesses than the limit.
 *
 * Sign-in has its own lockout (users.failed_logins); it is not counted here.
 * Nothing here touches password reset by email or ending sessions.
 */
@Injectable()
export class ConfirmationsService {
  private readonly logger = new Logger('Confirmations');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: ConfirmationsRepository,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Refuses at once (429 ACCOUNT_LOCKED) while the session or the account is
   * locked; otherwise runs `check` and counts its failure. Resolves when the
   * check passed; throws the check's error, or ACCOUNT_LOCKED when this
   * failure reached a limit.
   */
  async confirm(caller: Confirmer, action: ConfirmationAction, check: ConfirmationCheck): Promise<void> {
    const attemptId = await this.begin(caller, action);
    let refusal: AppError | null;
    try {
      refusal = await check();
    } catch (e) {
      // Not a wrong guess (the database, a bug): the attempt is cleared; if even that fails, the row left behind counts as a failure after PENDING_SECONDS.
      await this.forget(attemptId).catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'confirmation attempt not cleared'));
      throw e;
    }
    if (!refusal) {
      await this.forget(attemptId);
      return;
    }
    const lock = await this.fail(caller, action, attemptId);
    throw lock ? lockedError(lock, true) : refusal;
  }

  /**
   * A password reset by email ends every session (a thief's token with them)
   * and proves the mailbox: the owner starts again with no lock and no count,
   * in the reset's transaction.
   */
  async clearForAccount(tx: Tx, userId: string): Promise<void> {
    await this.repo.serialize(tx, userId);
    await this.repo.clearAccount(tx, userId);
  }

  /** Registers a guess about to be checked, unless the caller is locked out or already has the limit's worth in flight. */
  private begin(caller: Confirmer, action: ConfirmationAction): Promise<string> {
    const c = this.config.values;
    return this.uow.run(async (tx) => {
      await this.repo.serialize(tx, caller.id);
      const locks = await this.activeLocks(tx, caller);
      const lock = locks.account ?? locks.session;
      if (lock) throw lockedError(lock, false);
      const counts = await this.counts(tx, caller, true);
      if (counts.session >= c.confirmationSessionMaxFailures || counts.account >= c.confirmationAccountMaxFailures) {
        // Only guesses still being checked get here: a failure that reaches a limit leaves a lock.
        throw new AppError(429, 'RATE_LIMITED', 'Other confirmations of this account are being checked; try again in a moment', undefined, {
          'Retry-After': '1',
        });
      }
      return this.repo.insertAttempt(tx, caller.id, caller.sessionId, action);
    });
  }

  private async forget(attemptId: string): Promise<void> {
    await this.repo.deleteAttempt(attemptId);
  }

  /** Counts the failure, audits it, and locks the session or the account when it reaches a limit. */
  private async fail(caller: Confirmer, action: ConfirmationAction, attemptId: string): Promise<Lock | null> {
    const c = this.config.values;
    const lock = await this.uow.run(async (tx) => {
      await this.repo.serialize(tx, caller.id);
      await this.repo.markFailure(tx, attemptId);
      const counts = await this.counts(tx, caller, false);
      await this.audit.record(
        {
          action: 'auth.confirmation_failed',
          userId: caller.id,
          details: { for: action, sessionId: caller.sessionId, sessionFailures: counts.session, accountFailures: counts.account },
        },
        tx,
      );
      const active = await this.activeLocks(tx, caller);
      let scope: Lock['scope'] | null = null;
      if (counts.account >= c.confirmationAccountMaxFailures && !active.account) scope = 'account';
      else if (counts.session >= c.confirmationSessionMaxFailures && !active.session && !active.account) scope = 'session';
      await this.repo.prune(tx, caller.id, c.confirmationWindowMs / 1000);
      if (!scope) return null;
      const failures = scope === 'account' ? counts.account : counts.session;
      const until = await this.repo.insertLock(tx, caller.id, scope === 'session' ? caller.sessionId : null, failures, c.confirmationLockMs / 1000);
      await this.audit.record(
        {
          action: 'auth.confirmations_locked',
          userId: caller.id,
          details: { scope, sessionId: caller.sessionId, failures, until: until.toISOString(), lastFor: action },
        },
        tx,
      );
      return { scope, until, failures };
    });
    if (lock) await this.tellOwner(caller.id, lock);
    return lock;
  }

  /** One email (and in-app notification) per lock. A failure to send is logged: the lock stands either way. */
  private async tellOwner(userId: string, lock: Lock): Promise<void> {
    const ctx = requestContext.getStore();
    const who = lock.scope === 'session' ? 'one of your signed-in sessions' : 'your account (every session)';
    const from = ctx?.ip ? ` The last attempt came from IP ${ctx.ip}${ctx.userAgent ? ` (${noticeDevice(describeDevice(ctx.userAgent))})` : ''}.` : '';
    try {
      await this.notifications.notify(userId, {
        type: 'notification',
        title: 'Security alert: too many wrong codes or passwords',
        body:
          `${lock.failures} two-factor codes or passwords were entered wrongly, so we locked ${who} out of ${LOCKED_ACTIONS} for ${formatDuration(this.config.values.confirmationLockMs)} (until ${formatDateTime(lock.until, { roundUp: true })}).${from}\n\n` +
          `If this was not you, someone may have access to a signed-in device: reset your password by email (this signs out every session) ` +
          `or sign out the sessions you do not recognise under Settings > Sessions. Both still work while the lock lasts.`,
        // What the text says, as data (the client writes the notice in the customer's language).
        data: {
          kind: 'confirmations_locked',
          scope: lock.scope,
          until: lock.until.toISOString(),
          failures: lock.failures,
          lockMs: this.config.values.confirmationLockMs,
          ip: ctx?.ip ?? null,
          device: ctx?.ip && ctx.userAgent ? noticeDevice(describeDevice(ctx.userAgent)) : null,
        },
        email: true,
      });
    } catch (e) {
      this.logger.error({ userId, scope: lock.scope, err: (e as Error).message }, 'confirmation lock notice failed');
    }
  }

  private async activeLocks(tx: Tx, caller: Confirmer): Promise<{ session?: Lock; account?: Lock }> {
    const rows = await this.repo.activeLocks(tx, caller.id, caller.sessionId);
    const found: { session?: Lock; account?: Lock } = {};
    for (const r of rows) {
      const scope = r.session_id === null ? 'account' : 'session';
      found[scope] ??= { scope, until: new Date(r.locked_until), failures: r.failures };
    }
    return found;
  }

  /**
   * Failures in the window, of the caller's session and of the whole account,
   * each counted from the end of its last lock; with `pending`, also the
   * guesses being checked right now.
   */
  private counts(tx: Tx, caller: Confirmer, pending: boolean): Promise<{ session: number; account: number }> {
    return this.repo.counts(tx, caller.id, caller.sessionId, this.config.values.confirmationWindowMs / 1000, pending, PENDING_SECONDS);
  }
}
